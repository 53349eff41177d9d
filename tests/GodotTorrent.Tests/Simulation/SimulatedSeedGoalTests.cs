using GodotTorrent.Alerts;
using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Seeding goals (libtorrent's share ratio and seed time limits) on virtual time: a complete
/// torrent pauses with a <see cref="SeedGoalReachedAlert"/> once it meets one.
/// </summary>
public sealed class SimulatedSeedGoalTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    [Fact]
    public void ARatioGoalStopsTheSeedOnceItUploadedThatShareOfTheSizeAndNotBefore()
    {
        using var swarm = new SimSwarm(61);
        var content = SimContent.Create("ratio", [("a.bin", 2_000_000)], pieceLength: 65536);
        long size = content.Torrent.TotalSize;
        var seed = swarm.AddNode(SimSwarm.DefaultSettings with { ShareRatioLimit = 50 });
        var goals = Collect(swarm, seed);
        var seeding = swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
        Assert.True(swarm.RunUntil(() => seeding.Status.State == TorrentState.Seeding, Bound));

        // The leecher pulls 100 kB/s, so the seed's upload climbs steadily past half the size.
        const int Rate = 100_000;
        var leecher = swarm.AddNode();
        var download = swarm.AddTorrent(leecher, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [seed.EndPoint], DownloadRateLimit = Rate });

        TimeSpan? crossed = null;
        Assert.True(swarm.RunUntil(() =>
        {
            var status = seeding.Status;
            if (crossed is null && status.AllTimeUpload * 100 >= 50 * size)
            {
                crossed = swarm.Clock.Elapsed;
            }

            // Not before: the seed pauses only once it has uploaded half the size.
            Assert.True(!status.IsPaused || status.AllTimeUpload * 100 >= 50 * size);
            return status.IsPaused;
        }, Bound), SimulatedSwarmTests.Describe(swarm));

        var (at, alert) = Assert.Single(goals);
        Assert.Equal(SeedGoal.ShareRatio, alert.Goal);
        Assert.Equal("seed_goal_reached", alert.TypeName);
        Assert.InRange(alert.ShareRatio, 0.5, 0.5 + (2.0 * Rate / size));
        Assert.NotNull(crossed);
        Assert.InRange(at - crossed.Value, TimeSpan.Zero, Tick);

        // The pause is for good: the leecher is cut off, incomplete, and nothing more goes up.
        var paused = swarm.Run(seeding.GetStatusAsync());
        Assert.True(paused.IsPaused);
        Assert.Equal(TorrentState.Seeding, paused.State);
        swarm.RunFor(TimeSpan.FromSeconds(30));
        Assert.Equal(paused.AllTimeUpload, swarm.Run(seeding.GetStatusAsync()).AllTimeUpload);
        Assert.True(swarm.Run(download.GetStatusAsync()).Progress < 1);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void ATimeGoalCountsOnlyTimeSpentSeedingWhileRunning()
    {
        using var swarm = new SimSwarm(62);
        var content = SimContent.Create("time", [("a.bin", 300_000)], pieceLength: 65536);
        var seed = swarm.AddNode(SimSwarm.DefaultSettings with { SeedTimeLimit = TimeSpan.FromSeconds(30) });
        var goals = Collect(swarm, seed);
        var seeding = swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
        Assert.True(swarm.RunUntil(() => seeding.Status.State == TorrentState.Seeding, Bound));
        var started = swarm.Clock.Elapsed;

        // 10 s seeding, 20 s paused (not counted), then 20 s more make the 30 s.
        swarm.RunFor(TimeSpan.FromSeconds(10));
        swarm.Run(seeding.PauseAsync());
        swarm.RunFor(TimeSpan.FromSeconds(20));
        Assert.Empty(goals);
        swarm.Run(seeding.ResumeAsync());
        Assert.True(swarm.RunUntil(() => goals.Count > 0, Bound));

        var (at, alert) = Assert.Single(goals);
        Assert.Equal(SeedGoal.SeedTime, alert.Goal);
        Assert.Equal(TimeSpan.FromSeconds(30), alert.SeedingTime);
        Assert.InRange(at - started, TimeSpan.FromSeconds(50) - Tick, TimeSpan.FromSeconds(50) + Tick);
        Assert.True(swarm.RunUntil(() => seeding.Status.IsPaused, Tick));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void ASeedTimeOfZeroStopsAtCompletion()
    {
        using var swarm = new SimSwarm(63);
        var content = SimContent.Create("zero", [("a.bin", 1_000_000)], pieceLength: 65536);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
        var leecher = swarm.AddNode();
        var goals = Collect(swarm, leecher);
        TimeSpan? finished = null;
        leecher.Session.Alerts.AlertPosted += (_, e) => finished ??= e.Alert is TorrentFinishedAlert ? swarm.Clock.Elapsed : null;
        var download = swarm.AddTorrent(leecher, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [seed.EndPoint], SeedTimeLimit = TimeSpan.Zero });

        Assert.True(swarm.RunUntil(() => download.Status.IsPaused, Bound), SimulatedSwarmTests.Describe(swarm));
        var (at, alert) = Assert.Single(goals);
        Assert.Equal(SeedGoal.SeedTime, alert.Goal);
        Assert.NotNull(finished);
        Assert.InRange(at - finished.Value, TimeSpan.Zero, Tick);
        var status = swarm.Run(download.GetStatusAsync());
        Assert.Equal(TorrentState.Seeding, status.State);
        Assert.Equal(1, status.Progress);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void ATorrentsOwnLimitBeatsTheSessionsAndTheHandleSetsItAgain()
    {
        using var swarm = new SimSwarm(64);
        var a = SimContent.Create("a", [("a.bin", 100_000)], seed: 1);
        var b = SimContent.Create("b", [("b.bin", 100_000)], seed: 2);
        var node = swarm.AddNode(SimSwarm.DefaultSettings with { ShareRatioLimit = 0 });
        var goals = Collect(swarm, node);
        var plain = swarm.AddTorrent(node, new AddTorrentParams { Torrent = a.Torrent, SavePath = "/sim/a" }, a.PieceSpace);
        var own = swarm.AddTorrent(node, new AddTorrentParams { Torrent = b.Torrent, SavePath = "/sim/b", ShareRatioLimit = -1 }, b.PieceSpace);

        // The session's ratio of 0 stops the first at completion; the second's own "no limit" wins.
        Assert.True(swarm.RunUntil(() => plain.Status.IsPaused, Bound));
        swarm.RunFor(TimeSpan.FromSeconds(30));
        var ownStatus = swarm.Run(own.GetStatusAsync());
        Assert.Equal(TorrentState.Seeding, ownStatus.State);
        Assert.False(ownStatus.IsPaused);
        Assert.Equal(plain, Assert.Single(goals).Alert.Handle);

        // Through the handle: a seed time of 5 s for the second.
        var set = swarm.Clock.Elapsed;
        swarm.Run(own.SetSeedGoalsAsync(null, TimeSpan.FromSeconds(5)));
        Assert.True(swarm.RunUntil(() => own.Status.IsPaused, Bound));
        var (at, alert) = goals[1];
        Assert.Equal(own, alert.Handle);

        // The session's ratio (0) applies again with a null ratio, so the goal is met at once.
        Assert.Equal(SeedGoal.ShareRatio, alert.Goal);
        Assert.InRange(at - set, TimeSpan.Zero, Tick);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void ResumeDataKeepsTheSeedingTimeAndTheTorrentsOwnLimits()
    {
        using var swarm = new SimSwarm(65);
        var content = SimContent.Create("restart", [("a.bin", 200_000)], pieceLength: 65536);
        var first = swarm.AddNode();
        var seeding = swarm.AddTorrent(first, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", SeedTimeLimit = TimeSpan.FromSeconds(40), ShareRatioLimit = -1 }, content.PieceSpace);
        Assert.True(swarm.RunUntil(() => seeding.Status.State == TorrentState.Seeding, Bound));
        swarm.RunFor(TimeSpan.FromSeconds(25));
        var saved = swarm.Run(seeding.SaveResumeDataAsync());
        swarm.Run(first.Session.DisposeAsync().AsTask());
        Assert.InRange(saved.SeedingTime, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(26));

        var resume = ResumeDataSerializer.Decode(ResumeDataSerializer.Encode(saved));
        Assert.Equal(saved.SeedingTime, resume.SeedingTime);
        Assert.Equal(TimeSpan.FromSeconds(40), resume.SeedTimeLimit);
        Assert.Equal(-1, resume.ShareRatioLimit);
        Assert.False(resume.SeedGoalReached);

        // After a restart (a session whose ratio of 0 would stop it at once), the torrent's own
        // limits come from the resume data and the 40 s count on from where they were.
        var second = swarm.AddNode(SimSwarm.DefaultSettings with { ShareRatioLimit = 0 }, disk: first.Disk);
        var goals = Collect(swarm, second);
        var resumed = swarm.AddTorrent(second, new AddTorrentParams { Torrent = content.Torrent, SavePath = $"/sim/{first}", ResumeData = resume });
        Assert.True(swarm.RunUntil(() => resumed.Status.State == TorrentState.Seeding, Bound));
        var started = swarm.Clock.Elapsed;
        Assert.True(swarm.RunUntil(() => goals.Count > 0, Bound));
        var (at, alert) = Assert.Single(goals);
        Assert.Equal(SeedGoal.SeedTime, alert.Goal);
        Assert.Equal(TimeSpan.FromSeconds(40), alert.SeedingTime);
        Assert.InRange(at - started, TimeSpan.FromSeconds(40) - resume.SeedingTime - (2 * Tick), TimeSpan.FromSeconds(40) - resume.SeedingTime + Tick);

        // The reached flag goes into resume data too, so a restart does not stop a torrent resumed by hand.
        Assert.True(swarm.RunUntil(() => resumed.Status.IsPaused, Tick));
        Assert.True(swarm.Run(resumed.SaveResumeDataAsync()).SeedGoalReached);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void AGoalFreesTheSeedSlotForTheNextTorrentAndOnlyAHandResumeSeedsAgain()
    {
        using var swarm = new SimSwarm(66);
        var a = SimContent.Create("a", [("a.bin", 100_000)], seed: 1);
        var b = SimContent.Create("b", [("b.bin", 100_000)], seed: 2);
        var node = swarm.AddNode(SimSwarm.DefaultSettings with { ActiveSeeds = 1, SeedTimeLimit = TimeSpan.FromSeconds(10) });
        var goals = Collect(swarm, node);
        var first = swarm.AddTorrent(node, new AddTorrentParams { Torrent = a.Torrent, SavePath = "/sim/a" }, a.PieceSpace);
        var second = swarm.AddTorrent(node, new AddTorrentParams { Torrent = b.Torrent, SavePath = "/sim/b" }, b.PieceSpace);

        // One seed slot: the first seeds, the second waits queued, whatever its checking.
        Assert.True(swarm.RunUntil(() => first.Status.State == TorrentState.Seeding && second.Status.IsQueued, Bound));
        Assert.True(swarm.RunUntil(() => first.Status.IsPaused, Bound));
        Assert.True(swarm.RunUntil(() => !second.Status.IsQueued, Tick), "the slot went to the next torrent in the same tick");
        var firstStatus = swarm.Run(first.GetStatusAsync());
        Assert.False(firstStatus.IsQueued);

        // The second meets its goal in turn; neither restarts by itself.
        Assert.True(swarm.RunUntil(() => second.Status.IsPaused, Bound));
        swarm.RunFor(TimeSpan.FromMinutes(2));
        Assert.True(swarm.Run(first.GetStatusAsync()).IsPaused);
        Assert.True(swarm.Run(second.GetStatusAsync()).IsPaused);
        Assert.Equal([first, second], goals.Select(g => g.Alert.Handle));

        // Resumed by hand, the first seeds on: the goal it met does not stop it again.
        swarm.Run(first.ResumeAsync());
        swarm.RunFor(TimeSpan.FromSeconds(30));
        var resumed = swarm.Run(first.GetStatusAsync());
        Assert.False(resumed.IsPaused);
        Assert.False(resumed.IsQueued);
        Assert.Equal(2, goals.Count);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    private static List<(TimeSpan At, SeedGoalReachedAlert Alert)> Collect(SimSwarm swarm, SimNode node)
    {
        var goals = new List<(TimeSpan, SeedGoalReachedAlert)>();
        node.Session.Alerts.AlertPosted += (_, e) =>
        {
            if (e.Alert is SeedGoalReachedAlert goal)
            {
                goals.Add((swarm.Clock.Elapsed, goal));
            }
        };
        return goals;
    }
}
