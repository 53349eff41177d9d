using GodotTorrent.Torrent;

namespace GodotTorrent.Tests.Torrent;

public class TorrentActivityTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Only_running_time_counts_and_seeding_time_only_while_seeding()
    {
        var activity = new TorrentActivity();

        activity.Tick(T0, TimeSpan.FromSeconds(1), running: true, seeding: false, downloaded: 10, uploaded: 0);
        activity.Tick(T0.AddSeconds(1), TimeSpan.FromSeconds(1), running: false, seeding: true, downloaded: 10, uploaded: 0);
        activity.Tick(T0.AddSeconds(2), TimeSpan.FromSeconds(1), running: true, seeding: true, downloaded: 10, uploaded: 5);

        Assert.Equal(TimeSpan.FromSeconds(2), activity.ActiveTime);
        Assert.Equal(TimeSpan.FromSeconds(1), activity.SeedingTime);
        Assert.Equal(T0, activity.LastPayloadIn);
        Assert.Equal(T0.AddSeconds(2), activity.LastPayloadOut);
    }

    [Fact]
    public void A_torrent_is_slow_only_after_the_grace_period_and_by_the_rate_that_matters()
    {
        var activity = new TorrentActivity();
        activity.Started(T0);
        for (int s = 0; s <= 90; s += 10)
        {
            // 1000 B/s down, 10 B/s up.
            activity.SampleRates(T0.AddSeconds(s), downloaded: s * 1000L, uploaded: s * 10L);
        }

        var now = T0.AddSeconds(90);
        Assert.False(activity.IsSlow(T0.AddSeconds(30), complete: false, 30_000, 300, slowRate: 2048));
        Assert.True(activity.IsSlow(now, complete: false, 90_000, 900, slowRate: 2048));
        Assert.False(activity.IsSlow(now, complete: false, 90_000, 900, slowRate: 500));
        Assert.True(activity.IsSlow(now, complete: true, 90_000, 900, slowRate: 500));
    }
}
