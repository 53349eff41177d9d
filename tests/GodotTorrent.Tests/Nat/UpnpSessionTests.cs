using System.Net;
using System.Text;
using GodotTorrent.Alerts;
using GodotTorrent.Nat.Upnp;
using GodotTorrent.Session;
using GodotTorrent.Tests.Session;
using GodotTorrent.Tests.Trackers;

namespace GodotTorrent.Tests.Nat;

/// <summary>A real session mapping its listen port through <see cref="FakeUpnpGateway"/>, and staying healthy when the gateway is hostile.</summary>
public sealed class UpnpSessionTests : IAsyncDisposable
{
    private readonly FakeUpnpGateway _gateway = new();
    private readonly SwarmFixture _swarm = new();
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        await _swarm.DisposeAsync();
        _gateway.Dispose();
        _cts.Dispose();
    }

    private Task<TorrentSession> StartAsync() => _swarm.StartSessionAsync(
        new SessionSettings { ListenAddresses = [IPAddress.Any], ListenPort = 0, EnableUpnp = true, AlertMask = AlertCategory.All },
        new TorrentSessionOptions { UpnpFactory = c => new UpnpMapper(c, _gateway.Options) });

    [Fact]
    public async Task The_session_maps_its_listen_port_over_TCP_and_UDP_and_learns_its_external_address()
    {
        var session = await StartAsync();
        int port = session.ListenPort;
        var seen = new List<Alert>();
        await SwarmFixture.WaitForAlertAsync<PortMapAlert>(session, seen, a => a.Mapping.Transport == PortMappingTransport.Tcp, _cts.Token);
        await SwarmFixture.WaitForAlertAsync<PortMapAlert>(session, seen, a => a.Mapping.Transport == PortMappingTransport.Udp, _cts.Token);

        var external = IPAddress.Parse("203.0.113.9");
        Assert.Equal(
            [(PortMappingTransport.Tcp, port, port, external), (PortMappingTransport.Udp, port, port, external)],
            session.PortMappings.Select(m => (m.Transport, m.InternalPort, m.ExternalPort, m.ExternalAddress)));
        Assert.Equal(external, session.ExternalAddress);
        Assert.Contains(seen, a => a is ExternalIpAlert e && e.Address.Equals(external));
        Assert.Equal(("127.0.0.1", port), (_gateway.Table[(port, "TCP")].Client, _gateway.Table[(port, "UDP")].InternalPort));

        // Stopping removes both from the gateway.
        await session.StopAsync(_cts.Token);
        Assert.Empty(_gateway.Table);
        Assert.Equal(2, _gateway.CallsTo("DeletePortMapping").Count);
    }

    public static TheoryData<string, ErrorCode, string> HostileGateways => new()
    {
        { "oversized description", ErrorCode.GatewayBadReply, "larger than 65536 bytes" },
        { "malformed description", ErrorCode.GatewayBadReply, "not acceptable XML" },
        { "entity bomb", ErrorCode.GatewayBadReply, "DTD" },
        { "location on another host", ErrorCode.GatewayBadReply, "points to another host" },
        { "control URL on another host", ErrorCode.GatewayBadReply, "control URL" },
        { "control URL that never answers", ErrorCode.GatewayTimeout, "did not answer within 1 s" },
        { "SOAP fault", ErrorCode.PortMapRefused, "UPnP error 501 ActionFailed" },
    };

    [Theory]
    [MemberData(nameof(HostileGateways))]
    public async Task A_hostile_gateway_ends_in_an_error_alert_and_a_healthy_session(string hostile, ErrorCode expected, string reason)
    {
        Make(hostile);
        var session = await StartAsync();
        var seen = new List<Alert>();
        var error = await SwarmFixture.WaitForAlertAsync<PortMapErrorAlert>(session, seen, a => a.ErrorCode == expected, _cts.Token);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(PortMappingMechanism.Upnp, error.Mechanism);
        Assert.Empty(session.PortMappings);

        // The session carries on: it takes a torrent and stops within its deadline.
        string seedFolder = _swarm.Folder("seed");
        var torrent = await _swarm.CreateContentAsync(seedFolder, "content", [("a.bin", 50_000)]);
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder }, _cts.Token);
        await handle.WaitForStateAsync(TorrentState.Seeding, _cts.Token);
        await session.StopAsync(_cts.Token);
        Assert.DoesNotContain(seen.Concat(session.PopAlerts()), a => a is PortMapAlert);
    }

    private void Make(string hostile)
    {
        switch (hostile)
        {
            case "oversized description":
                // Valid XML, only too long, and without Content-Length: the limit is counted while reading.
                _gateway.Description = Encoding.UTF8.GetBytes(FakeUpnpGateway.DescriptionWithControl(FakeUpnpGateway.ControlPath).Replace("Fake router", new string('x', 70_000), StringComparison.Ordinal));
                _gateway.DescriptionWithoutLength = true;
                break;
            case "malformed description":
                _gateway.Description = "<?xml version=\"1.0\"?><root><device><serviceList><service>"u8.ToArray();
                break;
            case "entity bomb":
                _gateway.Description = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><root>&d;&d;&d;&d;</root>");
                break;
            case "location on another host":
                // 127.0.0.2 is loopback too: a wrong implementation would only reach this machine.
                _gateway.Location = _gateway.BaseUrl.Replace("127.0.0.1", "127.0.0.2", StringComparison.Ordinal) + "/rootDesc.xml";
                break;
            case "control URL on another host":
                _gateway.Description = Encoding.UTF8.GetBytes(FakeUpnpGateway.DescriptionWithControl(_gateway.BaseUrl.Replace("127.0.0.1", "127.0.0.2", StringComparison.Ordinal) + FakeUpnpGateway.ControlPath));
                break;
            case "control URL that never answers":
                _gateway.Override = action => action == "AddPortMapping" ? new FakeHttpReply { Delay = TimeSpan.FromHours(1) } : null;
                break;
            case "SOAP fault":
                _gateway.Override = action => action == "AddPortMapping" ? FakeUpnpGateway.Fault(501, "ActionFailed") : null;
                break;
        }
    }
}
