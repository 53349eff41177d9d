using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>Auto-managed torrents wait in the session's queue for a slot.</summary>
public class SessionQueueTests
{
    [Fact]
    public async Task One_download_slot_runs_the_queue_in_order_and_moving_to_the_top_swaps_who_runs()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrents = new List<TorrentInfo>();
        for (int i = 0; i < 3; i++)
        {
            torrents.Add(await swarm.CreateContentAsync(seedFolder, $"t{i}", [("a.bin", i == 1 ? 1_000_000 : 150_000)], seed: i + 1));
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seeder = await swarm.StartSessionAsync();
        foreach (var torrent in torrents)
        {
            var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
            await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        }

        var leecher = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { ActiveDownloads = 1 });
        var handles = new List<TorrentHandle>();
        foreach (var torrent in torrents)
        {
            handles.Add(await leecher.AddTorrentAsync(new AddTorrentParams
            {
                Torrent = torrent,
                SavePath = swarm.Folder("download"),
                Peers = [SwarmFixture.EndPointOf(seeder)],
                DownloadRateLimit = torrent == torrents[1] ? 40_000 : 0,
            }));
        }

        var statuses = await Task.WhenAll(handles.Select(h => h.GetStatusAsync(cts.Token)));
        Assert.Equal([0, 1, 2], statuses.Select(s => s.QueuePosition));
        Assert.All(statuses, s => Assert.True(s.AutoManaged));
        Assert.False(statuses[0].IsQueued);
        Assert.True(statuses[1].IsQueued);
        Assert.True(statuses[2].IsQueued);
        Assert.All(statuses, s => Assert.False(s.IsPaused));

        // The first finishes; the second gets the slot, the third keeps waiting.
        await handles[0].WaitForStateAsync(TorrentState.Seeding, cts.Token);
        await handles[1].WaitForAsync(s => !s.IsQueued && s.PeerCount > 0, cts.Token);
        Assert.True((await handles[2].GetStatusAsync(cts.Token)).IsQueued);
        Assert.Equal(0, (await handles[2].GetStatusAsync(cts.Token)).PiecesDone);
        Assert.Equal(1, (await leecher.GetStatisticsAsync(cts.Token)).TorrentsQueued);

        // The third jumps the queue: it runs, the second waits.
        await handles[2].QueuePositionTopAsync(cts.Token);
        Assert.Equal(0, (await handles[2].GetStatusAsync(cts.Token)).QueuePosition);
        await handles[1].WaitForAsync(s => s.IsQueued && s.PeerCount == 0, cts.Token);
        await handles[2].WaitForStateAsync(TorrentState.Seeding, cts.Token);

        // With the third done, the second runs again and finishes.
        await handles[1].SetRateLimitsAsync(0, 0, cts.Token);
        await handles[1].WaitForStateAsync(TorrentState.Seeding, cts.Token);
    }

    [Fact]
    public async Task Torrents_that_are_not_auto_managed_or_are_moved_stay_outside_the_limits()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var a = await swarm.CreateContentAsync(seedFolder, "a", [("a.bin", 50_000)], seed: 1);
        var b = await swarm.CreateContentAsync(seedFolder, "b", [("b.bin", 50_000)], seed: 2);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var session = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { ActiveDownloads = 0, ActiveSeeds = 1 });
        var first = await session.AddTorrentAsync(new AddTorrentParams { Torrent = a, SavePath = seedFolder });
        var second = await session.AddTorrentAsync(new AddTorrentParams { Torrent = b, SavePath = seedFolder, AutoManaged = false });

        await first.WaitForAsync(s => s.State == TorrentState.Seeding && !s.IsQueued, cts.Token);
        var other = await second.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        Assert.False(other.IsQueued);
        Assert.False(other.AutoManaged);

        // Managing the second too: one seed slot, and the first holds it.
        await second.SetAutoManagedAsync(true, cts.Token);
        await second.WaitForAsync(s => s.IsQueued, cts.Token);
        await second.QueuePositionUpAsync(cts.Token);
        await first.WaitForAsync(s => s.IsQueued, cts.Token);
        Assert.False((await second.GetStatusAsync(cts.Token)).IsQueued);
        await second.QueuePositionBottomAsync(cts.Token);
        await first.WaitForAsync(s => !s.IsQueued, cts.Token);
        await first.QueuePositionDownAsync(cts.Token);
        await second.WaitForAsync(s => !s.IsQueued, cts.Token);

        // A user pause frees the slot; the queue never resumes it.
        await second.PauseAsync(cts.Token);
        await first.WaitForAsync(s => !s.IsQueued, cts.Token);
        var paused = await second.GetStatusAsync(cts.Token);
        Assert.True(paused.IsPaused);
        Assert.False(paused.IsQueued);
    }
}
