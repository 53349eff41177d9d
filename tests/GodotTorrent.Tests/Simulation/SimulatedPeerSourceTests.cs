using System.Net;
using GodotTorrent.Bencoding;
using GodotTorrent.Discovery;
using GodotTorrent.Metainfo;
using GodotTorrent.Peers;
using GodotTorrent.Session;
using GodotTorrent.Tests.Metainfo;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// The peer-source seam of the session's services, where the DHT and LSD plug in: a source made
/// for every torrent feeds its peer list, and a private torrent (BEP 27) never starts it.
/// </summary>
public sealed class SimulatedPeerSourceTests
{
    [Fact]
    public void A_session_wide_peer_source_alone_finds_the_seed()
    {
        using var swarm = new SimSwarm(21);
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        var made = new List<FixedSource>();
        // Slow enough that the connection is still there when the test looks at it.
        var slow = SimSwarm.DefaultSettings with { DownloadRateLimit = 128 * 1024 };
        var leecher = swarm.AddNode(slow, o => o with { PeerSources = [Factory(seed.EndPoint, made)] });
        swarm.AddTorrent(leecher, torrent);

        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.PeerCount > 0, TimeSpan.FromMinutes(1)));
        var peer = Assert.Single(swarm.Run(leecher.Torrent!.GetPeersAsync()));
        Assert.Equal(seed.EndPoint, peer.EndPoint);
        Assert.Equal("dht", peer.Source);
        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(5)));
        var source = Assert.Single(made);
        Assert.True(source.IsRunning);
        Assert.Equal(torrent.InfoHashes, source.Context.InfoHashes);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_private_torrent_never_starts_it()
    {
        using var swarm = new SimSwarm(22);
        var content = TorrentFiles.Content(1 << 20, 3);
        var info = TorrentFiles.SingleFileInfo("private.bin", content, 256 * 1024);
        info.Set("private", new BInteger(1));
        var torrent = TorrentInfo.Parse(TorrentFiles.Torrent(info));
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        var made = new List<FixedSource>();
        var leecher = swarm.AddNode(configure: o => o with { PeerSources = [Factory(seed.EndPoint, made)] });
        swarm.AddTorrent(leecher, torrent);

        swarm.RunFor(TimeSpan.FromMinutes(1));
        var source = Assert.Single(made);
        Assert.False(source.IsRunning);
        Assert.Equal(0, swarm.Status(leecher).TotalDone);
        Assert.Empty(swarm.Run(leecher.Torrent!.GetPeersAsync()));
    }

    private static PeerSourceFactory Factory(IPEndPoint seed, List<FixedSource> made) => context =>
    {
        var source = new FixedSource(context, seed);
        made.Add(source);
        return source;
    };

    /// <summary>Stands in for the DHT: on start it "finds" one endpoint and delivers it on the loop.</summary>
    private sealed class FixedSource(PeerSourceContext context, IPEndPoint found) : IPeerSource
    {
        public PeerSourceContext Context => context;

        public PeerSource Kind => PeerSource.Dht;

        public bool IsRunning { get; private set; }

        public void Start()
        {
            IsRunning = true;
            context.Loop.Post(_ => context.Sink.Discovered([new DiscoveredPeer(found)], Kind), null);
        }

        public void Stop() => IsRunning = false;
    }
}
