using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// One seed and its downloaders on virtual time: a whole transfer, pausing mid-transfer, stopping
/// sessions mid-transfer. (These ran on loopback sockets and the real clock before the simulation.)
/// </summary>
public sealed class SimulatedTransferTests
{
    private static readonly (string, int)[] Pack = [("a.bin", 300_000), ("dir/b.bin", 1_000_000), ("c.bin", 5)];

    [Fact]
    public void OneSeedToOneDownloaderGetsEveryFileWithAlertsAndCounters()
    {
        using var swarm = new SimSwarm(21);
        var content = SimContent.Create("pack", Pack);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All });
        swarm.AddTorrent(leecher, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [seed.EndPoint] });

        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));

        var status = swarm.Status(leecher);
        Assert.Equal(content.Torrent.PieceCount, status.PiecesDone);
        Assert.Equal(1.0, status.Progress);
        foreach (var file in content.Torrent.Files)
        {
            Assert.Equal(content.Bytes(file), swarm.ReadFile(leecher, file));
        }

        var alerts = leecher.Session.PopAlerts();
        Assert.Contains(alerts, a => a is TorrentFinishedAlert);
        Assert.Contains(alerts, a => a is PeerConnectedAlert);
        Assert.Equal(content.Torrent.PieceCount, alerts.Count(a => a is PieceFinishedAlert));
        Assert.True(swarm.Status(seed).TotalPayloadUpload >= content.Torrent.TotalSize);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void PausingMidTransferStopsEverythingAndResumingCompletesWithEqualData()
    {
        using var swarm = new SimSwarm(22);
        var content = SimContent.Create("pack", [("a.bin", 2_000_000), ("b.bin", 1_000_000)]);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", UploadRateLimit = 1024 * 1024 }, content.PieceSpace);
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All });
        var download = swarm.AddTorrent(leecher, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [seed.EndPoint] });

        Assert.True(swarm.RunUntil(() => download.Status.Progress > 0.2, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        swarm.Run(download.PauseAsync());
        Assert.True(swarm.RunUntil(() => download.Status.PeerCount == 0, TimeSpan.FromSeconds(10)), SimulatedSwarmTests.Describe(swarm));
        var paused = swarm.Status(leecher);
        Assert.True(paused.IsPaused);
        Assert.True(paused.Progress < 1.0, "the download finished before it could be paused");

        // Blocks already handed to the disk may still be verified; then nothing moves.
        swarm.RunFor(TimeSpan.FromMilliseconds(300));
        var before = swarm.Status(leecher);
        for (int i = 0; i < 10; i++)
        {
            swarm.RunFor(TimeSpan.FromMilliseconds(200));
            var now = swarm.Status(leecher);
            Assert.Equal(0, now.PeerCount);
            Assert.Equal(before.TotalPayloadDownload, now.TotalPayloadDownload);
            Assert.Equal(before.PiecesDone, now.PiecesDone);
        }

        Assert.Equal(0, swarm.Status(seed).PeerCount);
        Assert.Contains(leecher.Session.PopAlerts(), a => a is TorrentPausedAlert);

        var resumedAt = swarm.Clock.Elapsed;
        swarm.Run(download.ResumeAsync());
        Assert.True(swarm.RunUntil(() => download.Status.PeerCount > 0 || download.Status.IsSeeding, TimeSpan.FromSeconds(3)), "no reconnection within 3 s of resuming");
        Assert.True(swarm.RunUntil(() => download.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));

        var status = swarm.Status(leecher);
        Assert.True(swarm.Clock.Elapsed > resumedAt);
        Assert.False(status.IsPaused);
        Assert.Equal(content.Torrent.PieceCount, status.PiecesDone);
        Assert.Contains(leecher.Session.PopAlerts(), a => a is TorrentResumedAlert);
        SimulatedSwarmTests.AssertHolds(swarm, leecher, content.PieceSpace);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void DisposingSessionsWithActiveTransfersFinishesWithinSecondsOfVirtualTime()
    {
        var bound = TimeSpan.FromSeconds(4);
        using var swarm = new SimSwarm(23);
        var content = SimContent.Create("pack", [("a.bin", 3_000_000), ("b.bin", 1_000_000)]);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);

        // Three downloaders, uploading to each other too, so both directions are busy when they stop.
        var leechers = new List<SimNode>();
        for (int i = 0; i < 3; i++)
        {
            var node = swarm.AddNode();
            var peers = leechers.Select(l => l.EndPoint).Append(seed.EndPoint).ToList();
            swarm.AddTorrent(node, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = peers, DownloadRateLimit = 1024 * 1024 });
            leechers.Add(node);
        }

        Assert.True(swarm.RunUntil(() => leechers.TrueForAll(l => l.Torrent!.Status.Progress > 0.1 && l.Torrent.Status.PeerCount > 0), TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        Assert.All(leechers, l => Assert.False(l.Torrent!.Status.IsFinished));

        // Run throws when the stop is not done within the bound of virtual time.
        swarm.Run(leechers[0].Session.DisposeAsync().AsTask(), bound);
        Assert.False(leechers[0].Session.IsRunning);
        Assert.False(leechers[0].Torrent!.IsValid);

        swarm.Run(seed.Session.DisposeAsync().AsTask(), bound);

        // The others notice the closed connections and keep running.
        Assert.True(swarm.RunUntil(() => leechers[1].Torrent!.Status.PeerCount == 1, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        swarm.Run(Task.WhenAll(leechers.Skip(1).Select(l => l.Session.DisposeAsync().AsTask())), bound);

        // Disposing again is harmless and immediate: no virtual time passes.
        var before = swarm.Clock.Elapsed;
        swarm.Run(leechers[0].Session.DisposeAsync().AsTask());
        Assert.Equal(before, swarm.Clock.Elapsed);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void AnInterruptedDownloadResumesAndFetchesOnlyWhatWasNotVerified()
    {
        using var swarm = new SimSwarm(35);
        var content = SimContent.Create("pack", [("a.bin", 2_000_000), ("b.bin", 2_000_000)], pieceLength: 65536);
        var torrent = content.Torrent;
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = torrent, SavePath = "" }, content.PieceSpace);

        var first = swarm.AddNode();
        var savePath = $"/sim/{first}";
        var download = swarm.AddTorrent(first, new AddTorrentParams { Torrent = torrent, SavePath = "", Peers = [seed.EndPoint], DownloadRateLimit = 1024 * 1024 });
        Assert.True(swarm.RunUntil(() => download.Status.Progress >= 0.3, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        var resume = swarm.Run(download.SaveResumeDataAsync());
        long doneAtSave = (long)resume.Pieces.SetCount * torrent.PieceLength;
        swarm.Run(first.Session.DisposeAsync().AsTask());
        Assert.InRange(resume.Pieces.SetCount, 1, torrent.PieceCount - 1);

        // A new session on the same disk, as after a restart of the program.
        var second = swarm.AddNode(disk: first.Disk);
        var resumed = swarm.AddTorrent(second, new AddTorrentParams { Torrent = torrent, SavePath = savePath, Peers = [seed.EndPoint], ResumeData = resume });
        Assert.True(swarm.RunUntil(() => resumed.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));

        var status = swarm.Status(second);
        SimulatedSwarmTests.AssertHolds(swarm, second, content.PieceSpace, savePath);
        // Pieces verified before the stop are neither checked into doubt nor fetched again; blocks
        // of pieces that were only partly there may be fetched again.
        long slack = (long)(resume.PartialPieces.Count + 1) * torrent.PieceLength;
        Assert.True(status.TotalPayloadDownload <= torrent.TotalSize - doneAtSave + slack,
            $"downloaded {status.TotalPayloadDownload} bytes after resuming with {doneAtSave} verified of {torrent.TotalSize}");
        Assert.True(status.AllTimeDownload >= torrent.TotalSize - slack);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void PauseStopAndRestartOnASlowDiskGiveTheSameTraceTwice()
    {
        var first = PauseStopAndRestart(seed: 36);
        var second = PauseStopAndRestart(seed: 36);

        Assert.Contains(first, line => line.Contains("torrent_paused", StringComparison.Ordinal));
        Assert.Contains(first, line => line.Contains("torrent_finished", StringComparison.Ordinal));
        Assert.Equal(first, second);
    }

    /// <summary>The harness's stop, restart and slow disk in one run; returns its trace.</summary>
    private static List<string> PauseStopAndRestart(int seed)
    {
        using var swarm = new SimSwarm(seed);
        var content = SimContent.Create("pack", [("a.bin", 2_000_000), ("b.bin", 1_000_000)]);
        var seeder = swarm.AddNode();
        swarm.AddTorrent(seeder, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
        var first = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All, DiskBufferBudget = 1024 * 1024 });
        first.Disk.WriteDelay = TimeSpan.FromMilliseconds(20);
        var download = swarm.AddTorrent(first, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [seeder.EndPoint] });
        Assert.True(swarm.RunUntil(() => download.Status.Progress > 0.2, TimeSpan.FromMinutes(1)));
        swarm.Run(download.PauseAsync());
        swarm.RunFor(TimeSpan.FromSeconds(5));
        swarm.Run(download.ResumeAsync());
        Assert.True(swarm.RunUntil(() => download.Status.Progress > 0.5, TimeSpan.FromMinutes(1)));
        var resume = swarm.Run(download.SaveResumeDataAsync());
        swarm.Run(first.Session.DisposeAsync().AsTask());

        var second = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All }, disk: first.Disk);
        var resumed = swarm.AddTorrent(second, new AddTorrentParams { Torrent = content.Torrent, SavePath = $"/sim/{first}", Peers = [seeder.EndPoint], ResumeData = resume });
        Assert.True(swarm.RunUntil(() => resumed.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        swarm.RunFor(TimeSpan.FromSeconds(10));
        Assert.Empty(swarm.Scheduler.Errors);
        return [.. swarm.Trace];
    }
}
