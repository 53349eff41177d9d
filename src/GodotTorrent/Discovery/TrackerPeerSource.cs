using System.Net;
using GodotTorrent.Peers;

namespace GodotTorrent.Discovery;

/// <summary>
/// The peers trackers answer with. The announce schedule and tracker alerts stay with the
/// torrent's tracker manager; this source takes each announce's peers, drops our own listen
/// endpoints (trackers list the announcing client too) and delivers the rest.
/// </summary>
internal sealed class TrackerPeerSource(IPeerSink sink, Func<IReadOnlyList<IPEndPoint>> ourListenEndPoints) : IPeerSource
{
    public PeerSource Kind => PeerSource.Tracker;

    public bool IsRunning { get; private set; }

    public void Start() => IsRunning = true;

    public void Stop() => IsRunning = false;

    /// <summary>An announce came back with <paramref name="peers"/>.</summary>
    public void OnAnnounced(IEnumerable<IPEndPoint> peers)
    {
        if (!IsRunning)
        {
            return;
        }

        var ours = ourListenEndPoints();
        var found = peers.Where(p => !IsOwn(ours, p)).Select(p => new DiscoveredPeer(p)).ToList();
        sink.Discovered(found, Kind);
    }

    private static bool IsOwn(IReadOnlyList<IPEndPoint> ours, IPEndPoint endPoint) =>
        ours.Any(l => l.Port == endPoint.Port
            && (l.Address.Equals(endPoint.Address) || IPAddress.IsLoopback(endPoint.Address) || l.Address.Equals(IPAddress.Any) || l.Address.Equals(IPAddress.IPv6Any)));
}
