using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Nat.NatPmp;
using GodotTorrent.Session;
using GodotTorrent.Tests.Session;

namespace GodotTorrent.Tests.Nat;

/// <summary>
/// A real session (listening on 0.0.0.0, port 0: it only binds) with its NAT-PMP mapper pointed at
/// <see cref="FakeNatPmpGateway"/> on 127.0.0.1: real UDP is the point.
/// </summary>
public sealed class NatPmpSessionTests : IDisposable
{
    private readonly FakeNatPmpGateway _gateway = new();

    [Fact]
    public async Task The_session_maps_its_listen_port_over_TCP_and_UDP_reports_it_and_removes_it_at_stop()
    {
        _gateway.GrantPort = suggested => suggested + 1;
        await using var session = await StartAsync();
        int port = session.ListenPort;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var seen = new List<Alert>();
        var first = await SwarmFixture.WaitForAlertAsync<PortMapAlert>(session, seen, _ => true, cts.Token);
        var second = await SwarmFixture.WaitForAlertAsync<PortMapAlert>(session, seen, a => a.Mapping.Transport != first.Mapping.Transport, cts.Token);

        var external = IPAddress.Parse("203.0.113.5");
        foreach (var alert in new[] { first, second })
        {
            Assert.Equal((PortMappingMechanism.NatPmp, port, port + 1, external), (alert.Mapping.Mechanism, alert.Mapping.InternalPort, alert.Mapping.ExternalPort, alert.Mapping.ExternalAddress));
        }

        await session.GetTorrentsAsync(cts.Token); // a loop round trip: the reports are handled
        Assert.Equal([PortMappingTransport.Tcp, PortMappingTransport.Udp], session.PortMappings.Select(m => m.Transport));
        Assert.Equal(external, session.ExternalAddress);
        Assert.Contains($"NAT-PMP: mapped Tcp port {port} to external 203.0.113.5:{port + 1}", seen.OfType<PortMapAlert>().Select(a => a.Message));

        await session.StopAsync();
        await _gateway.WaitForAsync(r => r.Contains(new(2, port, 0, 0)) && r.Contains(new(1, port, 0, 0)), "both removals");
    }

    [Fact]
    public async Task A_silent_gateway_is_a_timeout_alert_and_the_session_carries_on_and_stops_in_time()
    {
        _gateway.Silent = true;
        await using var session = await StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var seen = new List<Alert>();

        var error = await SwarmFixture.WaitForAlertAsync<PortMapErrorAlert>(session, seen, _ => true, cts.Token);

        Assert.Equal((PortMappingMechanism.NatPmp, ErrorCode.GatewayTimeout, "portmap_error"), (error.Mechanism, error.ErrorCode, error.TypeName));
        Assert.Empty(session.PortMappings);
        Assert.Empty(await session.GetTorrentsAsync(cts.Token));
        await session.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_refused_mapping_is_an_error_alert_with_the_rfc_name()
    {
        _gateway.MapResultCode = 2;
        await using var session = await StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var seen = new List<Alert>();

        var error = await SwarmFixture.WaitForAlertAsync<PortMapErrorAlert>(session, seen, _ => true, cts.Token);

        Assert.Equal(ErrorCode.PortMapRefused, error.ErrorCode);
        Assert.Equal(session.ListenPort, error.InternalPort);
        Assert.Contains("Not Authorized/Refused", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _gateway.Dispose();

    private async Task<TorrentSession> StartAsync()
    {
        var options = new TorrentSessionOptions { NatPmpFactory = c => new NatPmpMapper(c, NatPmpMapperTests.FastOptions(_gateway.EndPoint)) };
        var settings = new SessionSettings { ListenAddresses = [IPAddress.Any], ListenPort = 0, EnableNatPmp = true, AlertMask = AlertCategory.All };
        var session = new TorrentSession(settings, options);
        await session.StartAsync();
        return session;
    }
}
