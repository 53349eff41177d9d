using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// The session-wide disk budget shared by two downloads on a slow simulated disk.
/// (This ran on loopback sockets and a real-time slow disk before the simulation.)
/// </summary>
public sealed class SimulatedDiskBudgetTests
{
    [Fact]
    public void TwoTorrentsOnASlowDiskDownloadWithinOneSessionBudget()
    {
        using var swarm = new SimSwarm(28);
        var first = SimContent.Create("one", [("a.bin", 2_000_000)], pieceLength: 262144, seed: 1);
        var second = SimContent.Create("two", [("b.bin", 2_000_000)], pieceLength: 262144, seed: 2);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = first.Torrent, SavePath = "/sim/seed/one" }, first.PieceSpace);
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = second.Torrent, SavePath = "/sim/seed/two" }, second.PieceSpace);

        // Writes of 10 ms each against a 1 MiB budget: both torrents run into it.
        const long budget = 1024 * 1024;
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { DiskBufferBudget = budget });
        leecher.Disk.WriteDelay = TimeSpan.FromMilliseconds(10);
        var one = swarm.AddTorrent(leecher, new AddTorrentParams { Torrent = first.Torrent, SavePath = "/sim/leecher/one", Peers = [seed.EndPoint] });
        var two = swarm.AddTorrent(leecher, new AddTorrentParams { Torrent = second.Torrent, SavePath = "/sim/leecher/two", Peers = [seed.EndPoint] });

        Assert.True(swarm.RunUntil(() => one.Status.State == TorrentState.Seeding && two.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        var disk = leecher.Session.Disk;
        Assert.InRange(disk.PeakBufferedBytes, 1, budget);
        Assert.Equal(0, disk.BufferedBytes);
        Assert.Equal(0, swarm.Run(leecher.Session.GetStatisticsAsync()).DiskQueueBytes);
        Assert.Equal(2, disk.AccountCount);
        SimulatedSwarmTests.AssertHolds(swarm, leecher, first.PieceSpace, "/sim/leecher/one");
        SimulatedSwarmTests.AssertHolds(swarm, leecher, second.PieceSpace, "/sim/leecher/two");

        // A removed torrent leaves the budget, so it no longer splits the shares.
        swarm.Run(leecher.Session.RemoveTorrentAsync(one, RemoveOptions.None));
        Assert.Equal(1, disk.AccountCount);
        Assert.Empty(swarm.Scheduler.Errors);
    }
}
