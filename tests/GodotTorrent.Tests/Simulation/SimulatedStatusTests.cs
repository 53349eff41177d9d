using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// What a downloader's status, peers and alerts report during and after a transfer on virtual time.
/// (These ran on loopback sockets and the real clock before the simulation.)
/// </summary>
public sealed class SimulatedStatusTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);

    [Fact]
    public void StatusAndPeerSnapshotsCarryTimesCountsAndWebSeeds()
    {
        using var swarm = new SimSwarm(32);
        var content = SimContent.Create("pack", [("a.bin", 3_000_000)], pieceLength: 65536);
        var torrent = content.Torrent;
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = torrent, SavePath = "" }, content.PieceSpace);
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All });
        var handle = swarm.AddTorrent(leecher, new AddTorrentParams { Torrent = torrent, SavePath = "", Peers = [seed.EndPoint], DownloadRateLimit = 1024 * 1024 });

        // While downloading: the peer is a seed we request from.
        Assert.True(swarm.RunUntil(() => handle.Status.PiecesDone > 0, Bound), SimulatedSwarmTests.Describe(swarm));
        var peer = Assert.Single(swarm.Run(handle.GetPeersAsync()));
        Assert.Equal(torrent.PieceCount, peer.PiecesDownloaded);
        Assert.NotNull(peer.LastRequest);
        Assert.True(peer.LastActive < TimeSpan.FromSeconds(30));
        Assert.Equal("bittorrent/tcp", peer.ConnectionType);

        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, Bound), SimulatedSwarmTests.Describe(swarm));
        var done = swarm.Status(leecher);
        swarm.RunFor(TimeSpan.FromSeconds(2.2));
        var status = swarm.Status(leecher);
        Assert.True(status.ActiveTime >= TimeSpan.FromSeconds(1), $"active {status.ActiveTime}");
        Assert.True(status.SeedingTime >= TimeSpan.FromSeconds(1), $"seeding {status.SeedingTime}");
        Assert.True(status.SeedingTime <= status.ActiveTime);
        Assert.NotNull(status.TimeSinceDownload);
        Assert.Null(status.TimeSinceUpload);
        Assert.Equal(16 * 1024, status.BlockSize);
        Assert.Equal(0, status.PiecesInProgress);
        Assert.Equal(1, status.KnownSeedCount);
        Assert.Equal(0, done.ConnectCandidates);

        // The seed told us the address it sees us at.
        Assert.Contains(leecher.Session.PopAlerts(), a => a is ExternalIpAlert { Address: var address } && address.Equals(leecher.Host.Address));

        // Web seeds: listed, added, removed, and kept in resume data.
        Assert.Empty(swarm.Run(handle.GetWebSeedsAsync()));
        swarm.Run(handle.AddWebSeedAsync("http://127.0.0.1:1/files/"));
        Assert.Throws<TorrentException>(() => swarm.Run(handle.AddWebSeedAsync("ftp://nope/")));
        Assert.Equal(["http://127.0.0.1:1/files/"], swarm.Run(handle.GetWebSeedsAsync()));
        Assert.Equal(["http://127.0.0.1:1/files/"], swarm.Run(handle.SaveResumeDataAsync()).WebSeeds);
        Assert.True(swarm.Run(handle.RemoveWebSeedAsync("http://127.0.0.1:1/files/")));
        Assert.Empty(swarm.Run(handle.GetWebSeedsAsync()));
    }

    [Fact]
    public void AFullDiskBufferGivesOnePerformanceWarningNotOnePerBlock()
    {
        using var swarm = new SimSwarm(33);
        var content = SimContent.Create("pack", [("a.bin", 3_000_000)], pieceLength: 262144);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
        // Writes of 20 ms each against a 1 MiB buffer: requests outrun the disk.
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All, DiskBufferBudget = 1024 * 1024 });
        leecher.Disk.WriteDelay = TimeSpan.FromMilliseconds(20);
        var handle = swarm.AddTorrent(leecher, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [seed.EndPoint] });

        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, Bound), SimulatedSwarmTests.Describe(swarm));
        var warning = Assert.Single(leecher.Session.PopAlerts().OfType<PerformanceWarningAlert>());
        Assert.Contains("disk buffer", warning.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void AllPiecePrioritiesCanBeReadAndSetAtOnce()
    {
        using var swarm = new SimSwarm(34);
        var content = SimContent.Create("pack", [("a.bin", 10 * 32768)]);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
        var leecher = swarm.AddNode();
        var handle = swarm.AddTorrent(leecher, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Paused = true });
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Downloading, Bound));

        Assert.All(swarm.Run(handle.GetPiecePrioritiesAsync()), p => Assert.Equal(Priority.Normal, p));
        var wanted = Enumerable.Range(0, 10).Select(i => i < 4 ? Priority.Top : Priority.Skip).ToArray();
        swarm.Run(handle.SetPiecePrioritiesAsync(wanted));
        Assert.Equal(wanted, swarm.Run(handle.GetPiecePrioritiesAsync()));
        Assert.Throws<TorrentException>(() => swarm.Run(handle.SetPiecePrioritiesAsync([Priority.Top])));

        swarm.Run(handle.ConnectPeerAsync(seed.EndPoint));
        swarm.Run(handle.ResumeAsync());
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Finished, Bound), SimulatedSwarmTests.Describe(swarm));
        Assert.Equal("1111000000", swarm.Status(leecher).Pieces.ToString());
    }
}
