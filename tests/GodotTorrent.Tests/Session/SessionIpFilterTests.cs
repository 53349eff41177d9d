using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>The session's IP filter: rules accumulate and are enforced on incoming, outgoing and open connections.</summary>
public class SessionIpFilterTests
{
    [Fact]
    public async Task Rules_added_one_by_one_accumulate()
    {
        await using var swarm = new SwarmFixture();
        var session = await swarm.StartSessionAsync();
        await session.AddIpFilterRuleAsync("10.0.0.0/8", blocked: true);
        await session.AddIpFilterRuleAsync("192.168.1.1-192.168.1.9", blocked: true);

        Assert.Equal(2, session.Settings.IpFilter.Rules.Count);
        Assert.True(session.Settings.IpFilter.IsBlocked(IPAddress.Parse("10.2.3.4")));
        Assert.True(session.Settings.IpFilter.IsBlocked(IPAddress.Parse("192.168.1.5")));
        await Assert.ThrowsAsync<TorrentException>(() => session.AddIpFilterRuleAsync("not an address", blocked: true));
        Assert.Equal(2, session.Settings.IpFilter.Rules.Count);

        await session.SetIpFilterAsync(IpFilter.Empty);
        Assert.Empty(session.Settings.IpFilter.Rules);
    }

    [Fact]
    public async Task A_blocked_address_is_never_dialled()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 100_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var leecher = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { IpFilter = IpFilter.Empty.Add("127.0.0.1", blocked: true) });
        var download = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("download"), Peers = [SwarmFixture.EndPointOf(seeder)] });

        var seen = new List<Alert>();
        var blocked = await SwarmFixture.WaitForAlertAsync<PeerBlockedAlert>(leecher, seen, _ => true, cts.Token);
        Assert.False(blocked.Incoming);
        Assert.Same(download, blocked.Handle);
        Assert.Equal(AlertCategory.IpBlock, blocked.Category);
        await Task.Delay(1500, cts.Token);
        Assert.Empty(await download.GetPeersAsync(cts.Token));
        Assert.Empty(await seed.GetPeersAsync(cts.Token));
        Assert.Equal(0, (await leecher.GetStatisticsAsync(cts.Token)).OutgoingConnections);
    }

    [Fact]
    public async Task A_blocked_address_cannot_connect_in()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 100_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seeder = await swarm.StartSessionAsync();
        await seeder.AddIpFilterRuleAsync("127.0.0.0/8", blocked: true);
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var leecher = await swarm.StartSessionAsync();
        var download = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("download"), Peers = [SwarmFixture.EndPointOf(seeder)] });

        var seen = new List<Alert>();
        var blocked = await SwarmFixture.WaitForAlertAsync<PeerBlockedAlert>(seeder, seen, _ => true, cts.Token);
        Assert.True(blocked.Incoming);
        Assert.Null(blocked.Handle);
        await Task.Delay(1000, cts.Token);
        Assert.Empty(await seed.GetPeersAsync(cts.Token));
        Assert.Equal(0, (await seeder.GetStatisticsAsync(cts.Token)).IncomingConnections);
        Assert.Equal(0, (await download.GetStatusAsync(cts.Token)).PiecesDone);
    }

    [Fact]
    public async Task Open_connections_from_a_newly_blocked_address_are_closed()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 1_000_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var leecher = await swarm.StartSessionAsync();
        var download = await leecher.AddTorrentAsync(new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = swarm.Folder("download"),
            Peers = [SwarmFixture.EndPointOf(seeder)],
            DownloadRateLimit = 50_000,
        });
        await download.WaitForAsync(s => s.PeerCount > 0, cts.Token);
        leecher.ClearAlerts();

        await leecher.AddIpFilterRuleAsync("127.0.0.1", blocked: true);

        var seen = new List<Alert>();
        var blocked = await SwarmFixture.WaitForAlertAsync<PeerBlockedAlert>(leecher, seen, _ => true, cts.Token);
        Assert.Same(download, blocked.Handle);
        await download.WaitForAsync(s => s.PeerCount == 0, cts.Token);
        await Task.Delay(1500, cts.Token);
        Assert.Empty(await download.GetPeersAsync(cts.Token));
    }
}
