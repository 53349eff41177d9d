using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Auto-managed torrents wait in the session's queue for a slot, on virtual time.
/// (These ran on loopback sockets and the real clock before the simulation.)
/// </summary>
public sealed class SimulatedQueueTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);

    [Fact]
    public void OneDownloadSlotRunsTheQueueInOrderAndMovingToTheTopSwapsWhoRuns()
    {
        using var swarm = new SimSwarm(29);
        var contents = Enumerable.Range(0, 3).Select(i => SimContent.Create($"t{i}", [("a.bin", i == 1 ? 1_000_000 : 150_000)], seed: i + 1)).ToList();
        var seed = swarm.AddNode();
        foreach (var content in contents)
        {
            var handle = swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = $"/sim/seed/{content.Torrent.Name}" }, content.PieceSpace);
            Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, Bound));
        }

        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { ActiveDownloads = 1 });
        // A slow line: each small torrent takes a few seconds, so who waits shows in the statuses.
        leecher.Host.DownlinkBytesPerSecond = 64 * 1024;
        var handles = contents.Select(content => swarm.AddTorrent(leecher, new AddTorrentParams
        {
            Torrent = content.Torrent,
            SavePath = $"/sim/leecher/{content.Torrent.Name}",
            Peers = [seed.EndPoint],
            DownloadRateLimit = content == contents[1] ? 40_000 : 0,
        })).ToList();

        var statuses = handles.Select(h => swarm.Run(h.GetStatusAsync())).ToList();
        Assert.Equal([0, 1, 2], statuses.Select(s => s.QueuePosition));
        Assert.All(statuses, s => Assert.True(s.AutoManaged));
        Assert.False(statuses[0].IsQueued);
        Assert.True(statuses[1].IsQueued);
        Assert.True(statuses[2].IsQueued);
        Assert.All(statuses, s => Assert.False(s.IsPaused));

        // The first finishes; the second gets the slot, the third keeps waiting.
        Assert.True(swarm.RunUntil(() => handles[0].Status.State == TorrentState.Seeding, Bound), SimulatedSwarmTests.Describe(swarm));
        Assert.True(swarm.RunUntil(() => !handles[1].Status.IsQueued && handles[1].Status.PeerCount > 0, Bound), SimulatedSwarmTests.Describe(swarm));
        var third = swarm.Run(handles[2].GetStatusAsync());
        Assert.True(third.IsQueued);
        Assert.Equal(0, third.PiecesDone);
        Assert.Equal(1, swarm.Run(leecher.Session.GetStatisticsAsync()).TorrentsQueued);

        // The third jumps the queue: it runs, the second waits.
        swarm.Run(handles[2].QueuePositionTopAsync());
        Assert.Equal(0, swarm.Run(handles[2].GetStatusAsync()).QueuePosition);
        Assert.True(swarm.RunUntil(() => handles[1].Status.IsQueued && handles[1].Status.PeerCount == 0, Bound), SimulatedSwarmTests.Describe(swarm));
        Assert.True(swarm.RunUntil(() => handles[2].Status.State == TorrentState.Seeding, Bound), SimulatedSwarmTests.Describe(swarm));

        // With the third done, the second runs again and finishes.
        swarm.Run(handles[1].SetRateLimitsAsync(0, 0));
        Assert.True(swarm.RunUntil(() => handles[1].Status.State == TorrentState.Seeding, Bound), SimulatedSwarmTests.Describe(swarm));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void TorrentsThatAreNotAutoManagedOrAreMovedStayOutsideTheLimits()
    {
        using var swarm = new SimSwarm(30);
        var a = SimContent.Create("a", [("a.bin", 50_000)], seed: 1);
        var b = SimContent.Create("b", [("b.bin", 50_000)], seed: 2);
        var node = swarm.AddNode(SimSwarm.DefaultSettings with { ActiveDownloads = 0, ActiveSeeds = 1 });
        var first = swarm.AddTorrent(node, new AddTorrentParams { Torrent = a.Torrent, SavePath = "/sim/a" }, a.PieceSpace);
        var second = swarm.AddTorrent(node, new AddTorrentParams { Torrent = b.Torrent, SavePath = "/sim/b", AutoManaged = false }, b.PieceSpace);

        Assert.True(swarm.RunUntil(() => first.Status.State == TorrentState.Seeding && !first.Status.IsQueued, Bound));
        Assert.True(swarm.RunUntil(() => second.Status.State == TorrentState.Seeding, Bound));
        var other = swarm.Run(second.GetStatusAsync());
        Assert.False(other.IsQueued);
        Assert.False(other.AutoManaged);

        // Managing the second too: one seed slot, and the first holds it.
        swarm.Run(second.SetAutoManagedAsync(true));
        Assert.True(swarm.RunUntil(() => second.Status.IsQueued, Bound));
        swarm.Run(second.QueuePositionUpAsync());
        Assert.True(swarm.RunUntil(() => first.Status.IsQueued, Bound));
        Assert.False(swarm.Run(second.GetStatusAsync()).IsQueued);
        swarm.Run(second.QueuePositionBottomAsync());
        Assert.True(swarm.RunUntil(() => !first.Status.IsQueued, Bound));
        swarm.Run(first.QueuePositionDownAsync());
        Assert.True(swarm.RunUntil(() => !second.Status.IsQueued, Bound));

        // A user pause frees the slot; the queue never resumes it.
        swarm.Run(second.PauseAsync());
        Assert.True(swarm.RunUntil(() => !first.Status.IsQueued, Bound));
        var paused = swarm.Run(second.GetStatusAsync());
        Assert.True(paused.IsPaused);
        Assert.False(paused.IsQueued);
        Assert.Empty(swarm.Scheduler.Errors);
    }
}
