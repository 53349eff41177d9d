using GodotTorrent.Session;
using GodotTorrent.Torrent;

namespace GodotTorrent.Tests.Torrent;

public class SeedGoalsTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void TheRatioIsOverTheLargerOfDownloadedAndSizeAsLibtorrentHasIt()
    {
        var settings = new SessionSettings { ShareRatioLimit = 100 };

        // The original seed downloaded nothing: its size is the basis.
        Assert.Null(Goals().Tick(Second, seeding: true, uploaded: 999, downloaded: 0, size: 1000, settings));
        Assert.Equal(SeedGoal.ShareRatio, Goals().Tick(Second, seeding: true, uploaded: 1000, downloaded: 0, size: 1000, settings));

        // Downloaded more than the size (pieces fetched twice): the download is the basis.
        Assert.Null(Goals().Tick(Second, seeding: true, uploaded: 1500, downloaded: 2000, size: 1000, settings));
        Assert.Equal(SeedGoal.ShareRatio, Goals().Tick(Second, seeding: true, uploaded: 2000, downloaded: 2000, size: 1000, settings));
        Assert.Equal(1.5, SeedGoals.ShareRatio(3000, 500, 2000));

        // A torrent of no bytes has no ratio: only a limit of 0 stops it.
        Assert.Null(Goals().Tick(Second, seeding: true, uploaded: 0, downloaded: 0, size: 0, settings));
        Assert.Equal(SeedGoal.ShareRatio, Goals().Tick(Second, seeding: true, uploaded: 0, downloaded: 0, size: 0, settings with { ShareRatioLimit = 0 }));
    }

    [Fact]
    public void NothingCountsOrStopsWhileNotSeedingAndAMetGoalIsNotCheckedAgainUntilNewLimits()
    {
        var settings = new SessionSettings { SeedTimeLimit = TimeSpan.FromSeconds(2) };
        var goals = Goals();
        Assert.Null(goals.Tick(Second, seeding: false, 0, 0, 1000, settings));
        Assert.Null(goals.Tick(Second, seeding: false, 0, 0, 1000, settings));
        Assert.Equal(TimeSpan.Zero, goals.SeedingTime);
        Assert.Null(goals.Tick(Second, seeding: true, 0, 0, 1000, settings));
        Assert.Equal(SeedGoal.SeedTime, goals.Tick(Second, seeding: true, 0, 0, 1000, settings));
        Assert.True(goals.Reached);
        Assert.Null(goals.Tick(Second, seeding: true, 0, 0, 1000, settings));
        Assert.Equal(TimeSpan.FromSeconds(3), goals.SeedingTime);

        goals.Set(null, TimeSpan.FromSeconds(4));
        Assert.False(goals.Reached);
        Assert.Equal(SeedGoal.SeedTime, goals.Tick(Second, seeding: true, 0, 0, 1000, settings));

        // Negative limits are none, whatever the session says.
        goals.Set(-1, Timeout.InfiniteTimeSpan);
        Assert.Null(goals.Tick(Second, seeding: true, 5000, 0, 1000, settings with { ShareRatioLimit = 0 }));
    }

    private static SeedGoals Goals() => new(new AddTorrentParams { SavePath = "/x" });
}
