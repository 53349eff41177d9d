using System.Net;
using GodotTorrent.Engine;
using GodotTorrent.Nat;
using GodotTorrent.Nat.NatPmp;
using GodotTorrent.Session;
using Microsoft.Extensions.Logging.Abstractions;

namespace GodotTorrent.Tests.Nat;

/// <summary>
/// The NAT-PMP mapper against <see cref="FakeNatPmpGateway"/> over real UDP on 127.0.0.1 (the
/// socket, its retransmissions and the gateway's address check are the point), with a recording sink.
/// </summary>
public sealed class NatPmpMapperTests : IDisposable
{
    private static readonly PortMapRequest Tcp = new(PortMappingTransport.Tcp, 6881, IPAddress.Any);
    private static readonly PortMapRequest Udp = new(PortMappingTransport.Udp, 6881, IPAddress.Any);

    private readonly FakeNatPmpGateway _gateway = new();
    private readonly NatPmpRecordingSink _sink = new();
    private NatPmpMapper? _mapper;

    internal static NatPmpOptions FastOptions(IPEndPoint gateway) => new()
    {
        Gateway = gateway,
        FirstRetransmit = TimeSpan.FromMilliseconds(100),
        Tries = 3,
        RetryAfter = TimeSpan.FromHours(1),
    };

    [Fact]
    public async Task Asks_the_external_address_then_maps_TCP_and_UDP_asking_for_the_same_port_and_two_hours()
    {
        var mapper = Start();
        mapper.Map([Tcp, Udp]);
        await _sink.WaitForAsync(s => s.Mappings.Count == 2, "two mappings");

        Assert.Equal([IPAddress.Parse("203.0.113.5")], _sink.ExternalAddresses);
        Assert.Equal(new FakeNatPmpRequest(0, 0, 0, 0), _gateway.Requests[0]);
        Assert.Contains(new FakeNatPmpRequest(2, 6881, 6881, 7200), _gateway.Requests);
        Assert.Contains(new FakeNatPmpRequest(1, 6881, 6881, 7200), _gateway.Requests);
        foreach (var transport in new[] { PortMappingTransport.Tcp, PortMappingTransport.Udp })
        {
            var mapping = Assert.Single(_sink.Mappings, m => m.Transport == transport);
            Assert.Equal((PortMappingMechanism.NatPmp, 6881, 6881, IPAddress.Parse("203.0.113.5")), (mapping.Mechanism, mapping.InternalPort, mapping.ExternalPort, mapping.ExternalAddress));
            Assert.InRange(mapping.Expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(110), TimeSpan.FromMinutes(121));
        }

        Assert.Empty(_sink.Failures);
    }

    [Fact]
    public async Task A_different_granted_port_is_reported_and_asked_for_again_on_renewal_at_half_the_lifetime()
    {
        _gateway.GrantPort = suggested => suggested == 6881 ? 40001 : suggested;
        _gateway.GrantedLifetime = 2;
        var mapper = Start();
        mapper.Map([Tcp]);

        await _sink.WaitForAsync(s => s.Mappings.Count >= 2, "a renewal");
        Assert.All(_sink.Mappings, m => Assert.Equal(40001, m.ExternalPort));
        var asked = _gateway.Requests.Where(r => r.Opcode == 2).ToList();
        Assert.Equal(6881, asked[0].SuggestedExternalPort);
        Assert.Contains(asked, r => r.SuggestedExternalPort == 40001); // the port granted, kept
        Assert.Single(_sink.ExternalAddresses); // a renewal is not a restart
    }

    [Fact]
    public async Task A_port_no_longer_wanted_is_removed_with_lifetime_zero()
    {
        var mapper = Start();
        mapper.Map([Tcp, Udp]);
        await _sink.WaitForAsync(s => s.Mappings.Count == 2, "two mappings");

        mapper.Map([Tcp with { InternalPort = 7000 }]);
        await _sink.WaitForAsync(s => s.Mappings.Any(m => m.InternalPort == 7000) && s.Unmappings.Count == 2, "the new port mapped and the old ones removed");

        Assert.Contains(new FakeNatPmpRequest(2, 6881, 0, 0), _gateway.Requests);
        Assert.Contains(new FakeNatPmpRequest(1, 6881, 0, 0), _gateway.Requests);
        Assert.Contains(new FakeNatPmpRequest(2, 7000, 7000, 7200), _gateway.Requests);
        Assert.Equal([(PortMappingTransport.Tcp, 6881), (PortMappingTransport.Udp, 6881)], _sink.Unmappings.OrderBy(u => u.Transport));
    }

    [Fact]
    public async Task Stop_removes_every_mapping()
    {
        var mapper = Start();
        mapper.Map([Tcp, Udp]);
        await _sink.WaitForAsync(s => s.Mappings.Count == 2, "two mappings");

        await mapper.StopAsync();

        Assert.Equal(2, _sink.Unmappings.Count);
        await _gateway.WaitForAsync(r => r.Contains(new(2, 6881, 0, 0)) && r.Contains(new(1, 6881, 0, 0)), "both removals");
        mapper.Map([Tcp]); // after the stop: ignored
        Assert.Equal(2, _gateway.Requests.Count(r => r.Opcode == 2));
    }

    [Theory]
    [InlineData(1, "Unsupported Version")]
    [InlineData(2, "Not Authorized/Refused")]
    [InlineData(3, "Network Failure")]
    [InlineData(4, "Out of resources")]
    [InlineData(5, "Unsupported opcode")]
    public async Task A_result_code_is_a_refusal_named_as_the_RFC_names_it(int code, string name)
    {
        _gateway.MapResultCode = code;
        var mapper = Start();
        mapper.Map([Tcp]);

        await _sink.WaitForAsync(s => s.Failures.Count == 1, "a failure");
        var failure = Assert.Single(_sink.Failures);
        Assert.Equal((PortMappingTransport.Tcp, 6881, ErrorCode.PortMapRefused), (failure.Transport, failure.Port, failure.Error));
        Assert.Contains(name, failure.Reason, StringComparison.Ordinal);
        Assert.Empty(_sink.Mappings);
    }

    [Fact]
    public async Task A_silent_gateway_is_a_timeout_after_a_bounded_number_of_tries_and_the_stop_does_not_wait_for_it()
    {
        _gateway.Silent = true;
        var mapper = Start();
        mapper.Map([Tcp, Udp]);

        await _sink.WaitForAsync(s => s.Failures.Count == 1, "a failure");
        var failure = Assert.Single(_sink.Failures);
        Assert.Equal((null, ErrorCode.GatewayTimeout), (failure.Transport, failure.Error));
        await _gateway.WaitForAsync(r => r.Count >= 3, "three tries");
        await mapper.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, _gateway.Requests.Count); // three tries of the external address, then it backs off
        Assert.All(_gateway.Requests, r => Assert.Equal(0, r.Opcode));
    }

    [Fact]
    public async Task Hostile_replies_and_replies_from_another_address_are_ignored()
    {
        _gateway.SendFirst = request => request.Opcode == 0 ? [] :
        [
            (false, [0, 130]), // short
            (false, [.. _gateway.MapReply(request.Opcode, 0, request.InternalPort, 1, 60), 0]), // long
            (false, _gateway.MapReply(0, 0, request.InternalPort, 2, 60)), // the opcode of another request
            (false, _gateway.MapReply((byte)(request.Opcode + 100), 0, request.InternalPort, 3, 60)), // no such opcode
            (false, [2, .. _gateway.MapReply(request.Opcode, 0, request.InternalPort, 4, 60).Skip(1)]), // version 2
            (false, [.. Enumerable.Range(0, 16).Select(i => (byte)(i * 37))]), // garbage
            (false, new byte[2000]), // over any NAT-PMP or PCP size
            (false, _gateway.MapReply(request.Opcode, 0, request.InternalPort + 1, 5, 60)), // another port's reply
            (true, _gateway.MapReply(request.Opcode, 0, request.InternalPort, 6, 60)), // well formed, from a stranger
        ];
        var mapper = Start();
        mapper.Map([Tcp, Udp]);

        await _sink.WaitForAsync(s => s.Mappings.Count == 2, "two mappings");
        Assert.All(_sink.Mappings, m => Assert.Equal(6881, m.ExternalPort));
        Assert.Empty(_sink.Failures);
    }

    [Fact]
    public async Task Only_malformed_replies_are_a_bad_reply_not_a_timeout()
    {
        _gateway.SendFirst = request => [(false, [0, 128, 0, 0]), (false, new byte[40])];
        _gateway.OnlyHostile = true;
        var mapper = Start();
        mapper.Map([Tcp]);

        await _sink.WaitForAsync(s => s.Failures.Count == 1, "a failure");
        Assert.Equal(ErrorCode.GatewayBadReply, _sink.Failures[0].Error);
        Assert.Empty(_sink.ExternalAddresses);
    }

    [Fact]
    public async Task A_gateway_whose_epoch_went_back_has_restarted_and_everything_is_mapped_again()
    {
        _gateway.GrantedLifetime = 2;
        var mapper = Start();
        mapper.Map([Tcp, Udp]);
        await _sink.WaitForAsync(s => s.Mappings.Count == 2, "two mappings");
        Assert.Single(_sink.ExternalAddresses);

        _gateway.Restart();
        // The next renewal's reply shows the epoch back near 0: the address is asked again, both ports remapped.
        await _sink.WaitForAsync(s => s.ExternalAddresses.Count == 2, "the external address asked again");
        int after = _gateway.Requests.ToList().LastIndexOf(new FakeNatPmpRequest(0, 0, 0, 0));
        await _gateway.WaitForAsync(
            r => r.Skip(after).Any(q => q.Opcode == 1) && r.Skip(after).Any(q => q.Opcode == 2),
            "both ports mapped after the restart");
    }

    [Fact]
    public async Task Nothing_is_sent_until_a_port_is_wanted()
    {
        var mapper = Start();
        mapper.Map([]);
        await mapper.StopAsync();
        Assert.Empty(_gateway.Requests);
        Assert.Empty(_sink.Events);
    }

    public void Dispose()
    {
        _mapper?.StopAsync().Wait(TimeSpan.FromSeconds(10));
        _gateway.Dispose();
    }

    private NatPmpMapper Start()
    {
        var context = new PortMapperContext(_sink, TimeProvider.System, NullLoggerFactory.Instance, () => new HttpClientHandler(), () => new Random(1), ThreadPoolRunner.Instance);
        _mapper = new NatPmpMapper(context, FastOptions(_gateway.EndPoint));
        return _mapper;
    }
}
