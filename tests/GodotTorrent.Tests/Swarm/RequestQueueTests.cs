using GodotTorrent.Swarm;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Swarm;

public class RequestQueueTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(1_000, 2)]
    [InlineData(16_384, 3)]
    [InlineData(100_000, 19)]
    [InlineData(1_000_000, 184)]
    [InlineData(100_000_000, 500)]
    public void Depth_is_three_seconds_of_rate_in_blocks_clamped(double rate, int expected) =>
        Assert.Equal(expected, RequestQueue.DepthFor(rate));

    [Fact]
    public void Depth_respects_a_configured_maximum()
    {
        var queue = new RequestQueue(new FakeTimeProvider(), maxDepth: 50);
        Assert.Equal(50, queue.TargetDepth(10_000_000));
        queue.Sent(45);
        Assert.Equal(5, queue.Room(10_000_000));
        queue.Sent(10);
        Assert.Equal(0, queue.Room(10_000_000));
    }

    [Theory]
    [InlineData(2000, RequestQueue.MaxPeerDepth)] // libtorrent's reqq, above our cap
    [InlineData(800, 800)] // above our default depth: the peer queues more, so we ask for more
    [InlineData(250, 250)] // a smaller queue is honoured, so no request waits to be rejected
    [InlineData(1, RequestQueue.MinDepth)]
    [InlineData(1_000_000, RequestQueue.MaxPeerDepth)]
    public void A_peers_announced_queue_bounds_the_depth(int reqq, int expected)
    {
        var queue = new RequestQueue(new FakeTimeProvider());
        Assert.Equal(RequestQueue.DefaultMaxDepth, queue.TargetDepth(400_000_000));

        queue.PeerQueueAnnounced(reqq);

        Assert.Equal(expected, queue.MaxDepth);
        Assert.Equal(expected, queue.TargetDepth(400_000_000));
        queue.Sent(expected - 1);
        Assert.Equal(1, queue.Room(400_000_000));

        // The rate still decides below the bound: 1 MB/s is three seconds of blocks whatever the peer queues.
        var slow = new RequestQueue(new FakeTimeProvider());
        slow.PeerQueueAnnounced(reqq);
        Assert.Equal(Math.Min(expected, 184), slow.TargetDepth(1_000_000));
    }

    [Fact]
    public void A_higher_configured_bound_is_not_lowered_to_the_peer_cap()
    {
        var queue = new RequestQueue(new FakeTimeProvider(), maxDepth: 5000);
        queue.PeerQueueAnnounced(1_000_000);
        Assert.Equal(5000, queue.MaxDepth);
        queue.PeerQueueAnnounced(300);
        Assert.Equal(300, queue.MaxDepth);
    }

    [Fact]
    public void Snubbed_after_a_minute_without_blocks_while_requests_are_out()
    {
        var time = new FakeTimeProvider();
        var queue = new RequestQueue(time);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(queue.IsSnubbed); // idle, nothing asked: not snubbing

        queue.Sent(4);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(queue.IsSnubbed);
        queue.Received();
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(queue.IsSnubbed);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(queue.IsSnubbed);
        Assert.Equal(1, queue.TargetDepth(1_000_000));

        queue.Received();
        Assert.False(queue.IsSnubbed);
        queue.Released(10);
        Assert.Equal(0, queue.Outstanding);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(queue.IsSnubbed);
    }

    [Fact]
    public void A_request_timeout_snubs_until_a_block_arrives()
    {
        var time = new FakeTimeProvider();
        var queue = new RequestQueue(time);
        queue.Sent(48);
        time.Advance(TimeSpan.FromSeconds(31));

        queue.TimedOut(48);
        Assert.True(queue.IsSnubbed);
        Assert.Equal(1, queue.TargetDepth(1_000_000));

        // Asked again and still silent: it stays snubbed, at depth 1.
        queue.Sent(1);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(queue.IsSnubbed);

        queue.Received();
        Assert.False(queue.IsSnubbed);
        Assert.Equal(RequestQueue.DepthFor(1_000_000), queue.TargetDepth(1_000_000));
    }
}
