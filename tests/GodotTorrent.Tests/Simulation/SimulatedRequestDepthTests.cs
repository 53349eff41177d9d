using GodotTorrent.Swarm;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// The depth of our request pipeline to one peer, on virtual time, against a seed that unchokes and
/// then answers nothing (so the pipeline is at its depth for the rate floor and stays there). A peer
/// that announces a BEP 10 <c>reqq</c> below that depth is never sent more than it queues; one that
/// announces none gets the depth the rate floor gives.
/// </summary>
public sealed class SimulatedRequestDepthTests
{
    // Three seconds of the rate floor in blocks: what a new peer is sent before any block arrives.
    private static readonly int FloorDepth = RequestQueue.DepthFor(RequestScheduler.MinQueueRate);

    [Theory]
    [InlineData(10, 10)]
    [InlineData(null, null)]
    public void Requests_out_with_a_peer_stay_within_its_announced_queue(int? reqq, int? expected)
    {
        using var swarm = new SimSwarm(41);
        var (torrent, _) = SimSwarm.MakeTorrent(4 << 20, pieceLength: 256 * 1024);
        var downloader = swarm.AddNode();
        swarm.AddTorrent(downloader, torrent);
        var seed = new SimQueueingSeed(swarm);
        seed.Connect(downloader.EndPoint, torrent, reqq);

        int depth = expected ?? FloorDepth;
        Assert.True(depth < FloorDepth || reqq is null);
        Assert.True(swarm.RunUntil(() => seed.Requested >= depth, TimeSpan.FromSeconds(5)), $"{seed.Requested} requests");

        // Several of the torrent's one-second ticks later (each refills every peer), well before the
        // request time-out: still no more than the depth out, and none beyond it ever sent.
        swarm.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(depth, seed.Outstanding);
        Assert.Equal(depth, seed.Requested);
        Assert.Empty(swarm.Scheduler.Errors);
    }
}
