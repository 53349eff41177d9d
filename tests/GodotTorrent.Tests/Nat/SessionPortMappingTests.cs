using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Nat;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Session;
using GodotTorrent.Tests.Trackers;

namespace GodotTorrent.Tests.Nat;

/// <summary>The session's side of port mapping, with a scripted mapper in place of a gateway.</summary>
public class SessionPortMappingTests
{
    private sealed class ScriptedMapper(PortMapperContext context) : IPortMapper
    {
        public PortMapperContext Context { get; } = context;

        public List<IReadOnlyList<PortMapRequest>> Calls { get; } = [];

        public int Stops { get; private set; }

        public void Map(IReadOnlyList<PortMapRequest> requests)
        {
            lock (Calls)
            {
                Calls.Add(requests);
            }
        }

        public Task StopAsync()
        {
            Stops++;
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Only_IPv4_ports_that_are_not_loopback_are_worth_mapping_each_over_TCP_and_UDP()
    {
        var requests = SessionPortMapping.RequestsFor([
            new IPEndPoint(IPAddress.Any, 6881),
            new IPEndPoint(IPAddress.IPv6Any, 6881),
            new IPEndPoint(IPAddress.Loopback, 7000),
            new IPEndPoint(IPAddress.Parse("192.168.1.5"), 6881),
        ]);
        Assert.Equal(
            [
                new PortMapRequest(PortMappingTransport.Tcp, 6881, IPAddress.Any),
                new PortMapRequest(PortMappingTransport.Udp, 6881, IPAddress.Any),
                new PortMapRequest(PortMappingTransport.Tcp, 6881, IPAddress.Parse("192.168.1.5")),
                new PortMapRequest(PortMappingTransport.Udp, 6881, IPAddress.Parse("192.168.1.5")),
            ],
            requests);
    }

    [Fact]
    public async Task Mappers_run_while_their_setting_is_on_map_the_listen_port_and_their_reports_become_alerts_and_status()
    {
        ScriptedMapper? upnp = null;
        var options = new TorrentSessionOptions { UpnpFactory = c => upnp = new ScriptedMapper(c) };
        var settings = new SessionSettings { ListenAddresses = [IPAddress.Any], ListenPort = 0, AlertMask = AlertCategory.All };
        await using var session = new TorrentSession(settings, options);
        await session.StartAsync();
        Assert.Null(upnp); // off by default

        await session.ApplySettingsAsync(settings with { EnableUpnp = true });
        Assert.NotNull(upnp);
        int port = session.ListenPort;
        Assert.Contains(upnp.Calls, c => c.Contains(new PortMapRequest(PortMappingTransport.Tcp, port, IPAddress.Any))
            && c.Contains(new PortMapRequest(PortMappingTransport.Udp, port, IPAddress.Any)));

        var external = IPAddress.Parse("203.0.113.7");
        var mapping = new PortMapping(PortMappingMechanism.Upnp, PortMappingTransport.Tcp, port, 40000, external, DateTimeOffset.UtcNow.AddHours(1));
        upnp.Context.Sink.Mapped(mapping);
        upnp.Context.Sink.Failed(PortMappingMechanism.Upnp, PortMappingTransport.Udp, port, ErrorCode.PortMapRefused, "718 ConflictInMappingEntry");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<Alert>();
        var mapped = await SwarmFixture.WaitForAlertAsync<PortMapAlert>(session, seen, _ => true, cts.Token);
        var failed = await SwarmFixture.WaitForAlertAsync<PortMapErrorAlert>(session, seen, _ => true, cts.Token);
        Assert.Equal(mapping, mapped.Mapping);
        Assert.Equal("portmap", mapped.TypeName);
        Assert.Equal(ErrorCode.PortMapRefused, failed.ErrorCode);
        Assert.Contains("718", failed.Message, StringComparison.Ordinal);
        Assert.Equal([mapping], session.PortMappings);
        Assert.Equal(external, session.ExternalAddress);
        Assert.Contains(seen, a => a is ExternalIpAlert e && e.Address.Equals(external));

        upnp.Context.Sink.Unmapped(PortMappingMechanism.Upnp, PortMappingTransport.Tcp, port);
        await session.GetTorrentsAsync(cts.Token); // a loop round trip: the report is handled
        Assert.Empty(session.PortMappings);

        // Turned off: the mapper is stopped (its mappings removed); on again: a new one.
        await session.ApplySettingsAsync(settings);
        Assert.Equal(1, upnp.Stops);
        await session.ApplySettingsAsync(settings with { EnableUpnp = true });
        var second = upnp;
        await session.StopAsync();
        Assert.Equal(1, second.Stops);
    }

    [Fact]
    public async Task Trackers_are_told_the_external_port_the_gateway_granted_not_the_listen_port()
    {
        using var tracker = new FakeHttpTracker(_ => FakeHttpReply.Bencoded("d8:intervali1800e5:peers0:e"));
        await using var swarm = new SwarmFixture();
        var folder = swarm.Folder("seed");
        await swarm.CreateContentAsync(folder, "pack", [("a.bin", 100_000)]);
        var torrent = await TorrentCreator.CreateAsync(Path.Combine(folder, "pack"), new TorrentCreatorOptions { PieceLength = 32768, Trackers = [[tracker.AnnounceUrl]] });

        ScriptedMapper? upnp = null;
        var session = await swarm.StartSessionAsync(
            new SessionSettings { ListenAddresses = [IPAddress.Any], ListenPort = 0, EnableUpnp = true },
            new TorrentSessionOptions { UpnpFactory = c => upnp = new ScriptedMapper(c) });
        int port = session.ListenPort;
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = folder });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!tracker.Requests.Any(r => r.Text("port") == port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            await Task.Delay(20, cts.Token);
        }

        // The gateway gave another external port (the listen port was taken there): that is where peers reach us.
        upnp!.Context.Sink.Mapped(new PortMapping(PortMappingMechanism.Upnp, PortMappingTransport.Tcp, port, 40001, null, DateTimeOffset.MaxValue));
        while (session.PortMappings.Count == 0)
        {
            await Task.Delay(20, cts.Token);
        }

        await handle.ForceReannounceAsync(cts.Token);
        while (!tracker.Requests.Any(r => r.Text("port") == "40001"))
        {
            await Task.Delay(20, cts.Token);
        }
    }
}
