using System.Net;
using GodotTorrent.Discovery;
using GodotTorrent.Peers;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Discovery;

public sealed class PeerSourceTests
{
    [Fact]
    public void A_private_torrent_runs_only_its_tracker_source()
    {
        var sink = new Sink();
        var tracker = new TrackerPeerSource(sink, () => []);
        var pex = new PexPeerSource(sink);
        var set = new PeerSourceSet();
        set.Add(tracker);
        set.Add(pex);
        set.StartAll();
        Assert.True(pex.IsRunning);

        set.MarkPrivate();

        Assert.True(tracker.IsRunning);
        Assert.False(pex.IsRunning);
        Assert.False(set.Allows(PeerSource.Dht));
        Assert.True(set.Allows(PeerSource.Manual));
        set.StopAll();
        set.StartAll();
        Assert.False(pex.IsRunning);
    }

    [Fact]
    public void Tracker_peers_arrive_tagged_without_our_own_endpoint_and_not_once_stopped()
    {
        var sink = new Sink();
        var ours = new IPEndPoint(IPAddress.Parse("10.0.0.1"), 6881);
        var tracker = new TrackerPeerSource(sink, () => [ours]);
        var other = new IPEndPoint(IPAddress.Parse("10.0.0.2"), 6881);
        tracker.Start();

        tracker.OnAnnounced([ours, other]);
        tracker.Stop();
        tracker.OnAnnounced([new IPEndPoint(IPAddress.Parse("10.0.0.3"), 1)]);

        var (peers, source) = Assert.Single(sink.Deliveries);
        Assert.Equal(PeerSource.Tracker, source);
        Assert.Equal([new DiscoveredPeer(other)], peers);
    }

    [Fact]
    public void Exchanged_peers_keep_their_flags()
    {
        var sink = new Sink();
        var pex = new PexPeerSource(sink);
        pex.Start();
        var sender = new PexState(TimeProvider.System);
        var learned = new IPEndPoint(IPAddress.Parse("203.0.113.7"), 5000);
        var message = sender.TryBuildMessage([new PexPeer(learned, PexFlags.SupportsUtp | PexFlags.Reachable)])!;

        pex.OnMessage(new PexState(TimeProvider.System), message);

        var (peers, source) = Assert.Single(sink.Deliveries);
        Assert.Equal(PeerSource.Pex, source);
        Assert.Equal([new DiscoveredPeer(learned, PexFlags.SupportsUtp | PexFlags.Reachable)], peers);
    }

    private sealed class Sink : IPeerSink
    {
        public List<(IReadOnlyList<DiscoveredPeer> Peers, PeerSource Source)> Deliveries { get; } = [];

        public void Discovered(IReadOnlyList<DiscoveredPeer> peers, PeerSource source) => Deliveries.Add((peers, source));
    }
}
