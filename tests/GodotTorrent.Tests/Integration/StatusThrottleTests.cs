using GodotTorrent.Integration;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Integration;

public class StatusThrottleTests
{
    private static readonly InfoHashes A = new(InfoHash.ComputeV1([1]), null);
    private static readonly InfoHashes B = new(InfoHash.ComputeV1([2]), null);

    private static TorrentStatus Status(InfoHashes hashes, double progress) =>
        new() { InfoHashes = hashes, Name = "t", State = TorrentState.Downloading, SavePath = "/dl", Progress = progress };

    [Fact]
    public void The_first_snapshot_is_due_at_once_then_one_per_interval_with_the_newest_value()
    {
        var time = new FakeTimeProvider();
        var throttle = new StatusThrottle(TimeSpan.FromMilliseconds(500), time);

        throttle.Offer(Status(A, 0.1));
        Assert.Equal(0.1, Assert.Single(throttle.TakeDue()).Progress);

        throttle.Offer(Status(A, 0.2));
        throttle.Offer(Status(A, 0.3));
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Empty(throttle.TakeDue());

        throttle.Offer(Status(A, 0.4));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(0.4, Assert.Single(throttle.TakeDue()).Progress);
        Assert.Empty(throttle.TakeDue());
    }

    [Fact]
    public void An_unchanged_snapshot_is_not_sent_again()
    {
        var time = new FakeTimeProvider();
        var throttle = new StatusThrottle(TimeSpan.FromMilliseconds(100), time);
        var status = Status(A, 0.5);
        throttle.Offer(status);
        Assert.Single(throttle.TakeDue());

        time.Advance(TimeSpan.FromSeconds(1));
        throttle.Offer(status);
        throttle.Offer(status with { });
        Assert.Empty(throttle.TakeDue());
    }

    [Fact]
    public void Torrents_are_throttled_independently_and_can_be_forgotten()
    {
        var time = new FakeTimeProvider();
        var throttle = new StatusThrottle(TimeSpan.FromSeconds(1), time);
        throttle.Offer(Status(A, 0.1));
        Assert.Single(throttle.TakeDue());

        time.Advance(TimeSpan.FromMilliseconds(300));
        throttle.Offer(Status(A, 0.2));
        throttle.Offer(Status(B, 0.7));
        var due = Assert.Single(throttle.TakeDue());
        Assert.Equal(B, due.InfoHashes);
        Assert.Equal(2, throttle.Count);

        throttle.Forget(VariantSnapshots.Key(A));
        Assert.Equal(1, throttle.Count);
        throttle.Offer(Status(A, 0.3));
        Assert.Equal(0.3, Assert.Single(throttle.TakeDue()).Progress);

        throttle.Clear();
        Assert.Equal(0, throttle.Count);
    }

    [Fact]
    public void A_zero_interval_lets_every_change_through_and_a_negative_one_is_refused()
    {
        var throttle = new StatusThrottle(TimeSpan.Zero, new FakeTimeProvider());
        throttle.Offer(Status(A, 0.1));
        Assert.Single(throttle.TakeDue());
        throttle.Offer(Status(A, 0.2));
        Assert.Single(throttle.TakeDue());
        Assert.Throws<ArgumentOutOfRangeException>(() => new StatusThrottle(TimeSpan.FromSeconds(-1)));
    }
}
