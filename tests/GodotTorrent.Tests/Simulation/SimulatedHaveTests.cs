using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Which peers hear of each piece we verify: a peer still missing pieces gets a HAVE for every one,
/// a seed none (it has them all, and each HAVE would only wake it while it serves us).
/// </summary>
public sealed class SimulatedHaveTests
{
    [Fact]
    public void A_seed_is_not_sent_haves_and_a_peer_without_pieces_is_sent_one_per_piece()
    {
        using var swarm = new SimSwarm(19);
        var (torrent, content) = SimSwarm.MakeTorrent(2 << 20, pieceLength: 256 * 1024);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        var downloader = swarm.AddNode();
        swarm.AddTorrent(downloader, torrent, peers: [seed.EndPoint]);

        // Both silent: the data comes from the real seed, the two only count what they are told.
        var silentSeed = new SimQueueingSeed(swarm);
        silentSeed.Connect(downloader.EndPoint, torrent, reqq: null, hasAll: true);
        var emptyPeer = new SimQueueingSeed(swarm);
        emptyPeer.Connect(downloader.EndPoint, torrent, reqq: null, hasAll: false);

        Assert.True(swarm.RunUntil(() => downloader.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(5)), "download did not complete");
        swarm.RunFor(TimeSpan.FromSeconds(1));

        Assert.True(silentSeed.Requested > 0, "the silent seed was never asked for anything: it was not connected");
        Assert.Equal(0, silentSeed.Haves);
        Assert.Equal(torrent.PieceCount, emptyPeer.Haves);
        Assert.Empty(swarm.Scheduler.Errors);
    }
}
