using System.Net;
using System.Net.Sockets;
using GodotTorrent.Engine;
using GodotTorrent.Nat;
using GodotTorrent.Nat.Upnp;
using GodotTorrent.Session;
using GodotTorrent.Tests.Trackers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static GodotTorrent.Tests.Nat.RecordingPortMapSink;

namespace GodotTorrent.Tests.Nat;

/// <summary>The UPnP IGD mapper alone, against <see cref="FakeUpnpGateway"/> on 127.0.0.1.</summary>
public sealed class UpnpMapperTests : IDisposable
{
    private const int Port = 6881;
    private readonly FakeUpnpGateway _gateway = new();
    private readonly RecordingPortMapSink _sink = new();
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _gateway.Dispose();
        _cts.Dispose();
    }

    private static PortMapRequest[] Both(int port) =>
        [new(PortMappingTransport.Tcp, port, IPAddress.Any), new(PortMappingTransport.Udp, port, IPAddress.Any)];

    private UpnpMapper Mapper(TimeProvider? time = null, UpnpOptions? options = null) => new(
        new PortMapperContext(_sink, time ?? TimeProvider.System, NullLoggerFactory.Instance, () => new SocketsHttpHandler(), () => new Random(7), ThreadPoolRunner.Instance),
        options ?? _gateway.Options);

    private Task<List<PortMapping>> MappedAsync(int count) => _sink.WaitForAsync<PortMapping>(_ => true, count, _cts.Token);

    [Fact]
    public async Task It_finds_the_gateway_learns_the_external_address_and_maps_TCP_and_UDP_with_the_right_SOAP_calls()
    {
        var mapper = Mapper();
        mapper.Map(Both(Port));
        var mapped = await MappedAsync(2);

        Assert.Contains(_gateway.SearchMessages, m => m.StartsWith("M-SEARCH * HTTP/1.1\r\n", StringComparison.Ordinal)
            && m.Contains("ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n", StringComparison.Ordinal)
            && m.Contains("MAN: \"ssdp:discover\"\r\n", StringComparison.Ordinal));
        Assert.Contains(_gateway.SearchMessages, m => m.Contains("InternetGatewayDevice:2", StringComparison.Ordinal));
        Assert.Equal([IPAddress.Parse("203.0.113.9")], _sink.Of<IPAddress>());
        Assert.Equal("GetExternalIPAddress", _gateway.Calls.First().Action);
        var adds = _gateway.CallsTo("AddPortMapping");
        Assert.Equal(["TCP", "UDP"], adds.Select(a => a["NewProtocol"]).Order());
        foreach (var add in adds)
        {
            Assert.Equal($"\"{FakeUpnpGateway.ServiceType}#AddPortMapping\"", add.SoapAction);
            Assert.Equal(
                (string.Empty, "6881", "6881", "127.0.0.1", "1", "GodotTorrent", "3600"),
                (add["NewRemoteHost"], add["NewExternalPort"], add["NewInternalPort"], add["NewInternalClient"], add["NewEnabled"], add["NewPortMappingDescription"], add["NewLeaseDuration"]));
        }

        Assert.Equal(("127.0.0.1", Port, 3600), _gateway.Table[(Port, "TCP")]);
        Assert.All(mapped, m => Assert.Equal(
            (PortMappingMechanism.Upnp, Port, Port, IPAddress.Parse("203.0.113.9")),
            (m.Mechanism, m.InternalPort, m.ExternalPort, m.ExternalAddress)));
        Assert.Equal([PortMappingTransport.Tcp, PortMappingTransport.Udp], mapped.Select(m => m.Transport).Order());
        Assert.Empty(_sink.Of<FailedReport>());
        await mapper.StopAsync();
    }

    [Fact]
    public async Task A_specific_listen_address_is_the_internal_client()
    {
        var mapper = Mapper();
        mapper.Map([new(PortMappingTransport.Tcp, Port, IPAddress.Parse("127.0.0.5"))]);
        await MappedAsync(1);
        Assert.Equal("127.0.0.5", _gateway.CallsTo("AddPortMapping").Single()["NewInternalClient"]);
        await mapper.StopAsync();
    }

    [Fact]
    public async Task Leases_are_renewed_at_half_their_length_on_the_session_clock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var mapper = Mapper(time);
        mapper.Map(Both(Port));
        var first = await MappedAsync(2);
        Assert.All(first, m => Assert.Equal(time.GetUtcNow().AddSeconds(3600), m.Expires));

        time.Advance(TimeSpan.FromSeconds(1799));
        await Task.Delay(100); // nothing may happen before half the lease: give the worker a chance to be wrong
        Assert.Equal(2, _gateway.CallsTo("AddPortMapping").Count);

        time.Advance(TimeSpan.FromSeconds(1));
        var renewed = await MappedAsync(4);
        Assert.Equal(4, _gateway.CallsTo("AddPortMapping").Count);
        Assert.All(renewed.Skip(2), m => Assert.Equal(time.GetUtcNow().AddSeconds(3600), m.Expires));
        await mapper.StopAsync();
    }

    [Fact]
    public async Task A_port_mapped_to_another_host_is_asked_for_again_on_another_external_port()
    {
        _gateway.TakenByOthers[(Port, "TCP")] = true;
        var mapper = Mapper();
        mapper.Map([new(PortMappingTransport.Tcp, Port, IPAddress.Any)]);
        var mapped = (await MappedAsync(1)).Single();

        var ports = _gateway.CallsTo("AddPortMapping").Select(a => int.Parse(a["NewExternalPort"])).ToList();
        Assert.Equal(Port, ports[0]);
        Assert.NotEqual(Port, mapped.ExternalPort);
        Assert.InRange(mapped.ExternalPort, 1024, 65535);
        Assert.Equal(mapped.ExternalPort, ports[^1]);
        Assert.Equal(("127.0.0.1", Port, 3600), _gateway.Table[(mapped.ExternalPort, "TCP")]);

        // Removal names the external port the gateway gave.
        await mapper.StopAsync();
        Assert.Equal(mapped.ExternalPort.ToString(System.Globalization.CultureInfo.InvariantCulture), _gateway.CallsTo("DeletePortMapping").Single()["NewExternalPort"]);
        Assert.Empty(_gateway.Table);
    }

    [Fact]
    public async Task When_every_port_is_taken_the_failure_is_a_conflict()
    {
        _gateway.EveryPortTaken = true;
        var mapper = Mapper();
        mapper.Map([new(PortMappingTransport.Udp, Port, IPAddress.Any)]);
        var failed = (await _sink.WaitForAsync<FailedReport>(_ => true, 1, _cts.Token)).Single();
        Assert.Equal((PortMappingTransport.Udp, Port, ErrorCode.PortMapConflict), (failed.Transport, failed.InternalPort, failed.Error));
        Assert.Contains("718", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(1 + UpnpOptions.Default.ConflictRetries, _gateway.CallsTo("AddPortMapping").Count);
        await mapper.StopAsync();
    }

    [Fact]
    public async Task A_gateway_that_only_takes_permanent_leases_gets_lease_0_and_a_mapping_that_never_expires()
    {
        _gateway.OnlyPermanentLeases = true;
        var mapper = Mapper();
        mapper.Map([new(PortMappingTransport.Tcp, Port, IPAddress.Any)]);
        var mapped = (await MappedAsync(1)).Single();
        Assert.Equal(["3600", "0"], _gateway.CallsTo("AddPortMapping").Select(a => a["NewLeaseDuration"]));
        Assert.Equal(DateTimeOffset.MaxValue, mapped.Expires);
        Assert.Equal(0, _gateway.Table[(Port, "TCP")].Lease);
        await mapper.StopAsync();
    }

    [Fact]
    public async Task A_SOAP_fault_is_a_refusal_with_its_code()
    {
        _gateway.Override = action => action == "AddPortMapping" ? FakeUpnpGateway.Fault(606, "Action not authorized") : null;
        var mapper = Mapper();
        mapper.Map([new(PortMappingTransport.Tcp, Port, IPAddress.Any)]);
        var failed = (await _sink.WaitForAsync<FailedReport>(_ => true, 1, _cts.Token)).Single();
        Assert.Equal((PortMappingTransport.Tcp, ErrorCode.PortMapRefused), (failed.Transport, failed.Error));
        Assert.Equal("UPnP error 606 Action not authorized", failed.Reason);
        await mapper.StopAsync();
    }

    [Fact]
    public async Task Ports_no_longer_wanted_are_deleted_and_the_new_ones_mapped()
    {
        var mapper = Mapper();
        mapper.Map(Both(7000));
        await MappedAsync(2);
        mapper.Map(Both(7001));
        await _sink.WaitForAsync<PortMapping>(m => m.InternalPort == 7001, 2, _cts.Token);

        var deletes = _gateway.CallsTo("DeletePortMapping");
        Assert.Equal([("7000", "TCP"), ("7000", "UDP")], deletes.Select(d => (d["NewExternalPort"], d["NewProtocol"])).Order());
        Assert.Equal(string.Empty, deletes[0]["NewRemoteHost"]);
        Assert.Equal(2, _sink.Of<UnmappedReport>().Count(u => u.InternalPort == 7000));
        Assert.Equal([(7001, "TCP"), (7001, "UDP")], _gateway.Table.Keys.Order());

        await mapper.StopAsync();
        Assert.Empty(_gateway.Table);
        Assert.Equal(2, _sink.Of<UnmappedReport>().Count(u => u.InternalPort == 7001));
    }

    [Fact]
    public async Task Stop_is_bounded_when_the_gateway_never_answers_the_removal()
    {
        var options = _gateway.Options with { HttpTimeout = TimeSpan.FromMinutes(10), StopBudget = TimeSpan.FromMilliseconds(500) };
        _gateway.Override = action => action == "DeletePortMapping" ? new FakeHttpReply { Delay = TimeSpan.FromHours(1) } : null;
        var mapper = Mapper(options: options);
        mapper.Map(Both(Port));
        await MappedAsync(2);

        // Without the stop budget this would wait for the 10-minute HTTP time-out.
        await mapper.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, _gateway.CallsTo("DeletePortMapping").Count);
        Assert.Equal(2, _sink.Of<UnmappedReport>().Count);
    }

    [Fact]
    public async Task No_gateway_is_reported_once_and_searched_for_again_with_a_growing_back_off()
    {
        // A UDP socket that hears the searches and never answers.
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int searches = 0;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                await silent.ReceiveAsync(_cts.Token);
                Interlocked.Increment(ref searches);
            }
        });
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = _gateway.Options with { MulticastEndPoint = (IPEndPoint)silent.Client.LocalEndPoint!, SearchSends = [TimeSpan.Zero] };
        var mapper = Mapper(time, options);
        mapper.Map(Both(Port));

        // Each M-SEARCH goes out twice (IGD 1 and 2); the window then ends on the session clock.
        await AdvanceUntilAsync(time, () => Volatile.Read(ref searches) >= 2 && _sink.Of<FailedReport>().Count >= 1);
        var failed = _sink.Of<FailedReport>().Single();
        Assert.Equal((null, 0, ErrorCode.GatewayNotFound), (failed.Transport, failed.InternalPort, failed.Error));

        // Searched again after 1 minute, then 2: still reported only once.
        time.Advance(TimeSpan.FromSeconds(50));
        await Task.Delay(100);
        Assert.Equal(2, Volatile.Read(ref searches));
        await AdvanceUntilAsync(time, () => Volatile.Read(ref searches) >= 4);
        var secondSearch = time.GetUtcNow();
        await AdvanceUntilAsync(time, () => Volatile.Read(ref searches) >= 6);
        Assert.True(time.GetUtcNow() - secondSearch >= TimeSpan.FromMinutes(2), "the back-off doubles");
        Assert.Single(_sink.Of<FailedReport>());
        await mapper.StopAsync();
    }

    // Moves the session clock a second at a time (letting the worker run in between) until the condition holds.
    private async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition)
    {
        while (!condition())
        {
            _cts.Token.ThrowIfCancellationRequested();
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }
    }
}
