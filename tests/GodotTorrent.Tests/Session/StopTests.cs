using System.Diagnostics;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>Stopping a session in the middle of transfers is bounded in time.</summary>
public class StopTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Disposing_sessions_with_active_transfers_returns_within_seconds()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 3_000_000), ("b.bin", 1_000_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        // Three downloaders, uploading to each other too, so both directions are busy when they stop.
        var leechers = new List<(TorrentSession Session, TorrentHandle Handle)>();
        for (int i = 0; i < 3; i++)
        {
            var session = await swarm.StartSessionAsync();
            var peers = leechers.Select(l => SwarmFixture.EndPointOf(l.Session)).Append(SwarmFixture.EndPointOf(seeder)).ToList();
            var handle = await session.AddTorrentAsync(new AddTorrentParams
            {
                Torrent = torrent,
                SavePath = swarm.Folder("leecher" + i),
                Peers = peers,
                DownloadRateLimit = 1024 * 1024,
            });
            leechers.Add((session, handle));
        }

        await Task.WhenAll(leechers.Select(l => l.Handle.WaitForAsync(s => s.Progress > 0.1 && s.PeerCount > 0, cts.Token)));
        Assert.All(leechers, l => Assert.False(l.Handle.Status.IsFinished));

        var clock = Stopwatch.StartNew();
        await leechers[0].Session.DisposeAsync().AsTask().WaitAsync(Bound + Bound, cts.Token);
        Assert.True(clock.Elapsed < Bound, $"stopping a downloading session took {clock.Elapsed}");
        Assert.False(leechers[0].Session.IsRunning);
        Assert.False(leechers[0].Handle.IsValid);

        clock.Restart();
        await seeder.DisposeAsync().AsTask().WaitAsync(Bound + Bound, cts.Token);
        Assert.True(clock.Elapsed < Bound, $"stopping a seeding session took {clock.Elapsed}");

        // The others notice the closed connections and keep running.
        await leechers[1].Handle.WaitForAsync(s => s.PeerCount == 1, cts.Token);
        clock.Restart();
        await Task.WhenAll(leechers.Skip(1).Select(l => l.Session.DisposeAsync().AsTask())).WaitAsync(Bound + Bound, cts.Token);
        Assert.True(clock.Elapsed < Bound, $"stopping two sessions took {clock.Elapsed}");

        // Disposing again is harmless and immediate.
        clock.Restart();
        await leechers[0].Session.DisposeAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1));
    }
}
