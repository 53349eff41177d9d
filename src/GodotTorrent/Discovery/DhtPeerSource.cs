using System.Net;
using GodotTorrent.Dht;
using GodotTorrent.Peers;
using GodotTorrent.Session;

namespace GodotTorrent.Discovery;

/// <summary>
/// One torrent's use of the session's DHT (BEP 5): a get_peers lookup with announce_peer when it
/// starts, then again every <see cref="SessionSettings.DhtAnnounceInterval"/> (libtorrent's
/// <c>dht_announce_interval</c>) with jitter, or every minute or so while a magnet link has no
/// peer. A v2 or hybrid torrent looks up each of its wire hashes (the v2 one truncated to 20 bytes),
/// as libtorrent does. No timer of its own: <see cref="SessionDht"/> keeps every torrent's due time
/// and starts its lookups from the session's tick. Peers are delivered on the engine loop. Engine loop only.
/// </summary>
internal sealed class DhtPeerSource(PeerSourceContext context, SessionDht dht, Random random) : IPeerSource
{
    // A magnet link with no peer asks again this soon: it cannot even start without one.
    private static readonly TimeSpan UrgentInterval = TimeSpan.FromMinutes(1);

    // How often a torrent that may not announce now (paused, queued, checking) checks again: a timer, nothing on the wire.
    private static readonly TimeSpan WaitInterval = TimeSpan.FromSeconds(10);

    // One lookup's batch is at most a reply's worth of peers per node; more is a flood.
    private const int MaxPeersPerBatch = 200;

    private readonly List<IDisposable> _lookups = [];
    private bool _warned;

    public PeerSource Kind => PeerSource.Dht;

    public bool IsRunning { get; private set; }

    /// <summary>How much it needs peers, for the order of the session's staggered lookups: 0 a magnet without a peer, 1 a download, 2 a seed.</summary>
    internal int Need => context.NeedsPeersSoon() ? 0 : context.IsSeeding() ? 2 : 1;

    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        IsRunning = true;
        // The session's tick starts the first lookup, staggered with every other torrent's (SessionDht.Tick).
        dht.Register(this);
        if (dht.Node is null)
        {
            // After the torrent's own start: its trackers and given peers are known by then.
            context.Loop.Post(_ => WarnIfAlone(), null);
        }
    }

    public void Stop()
    {
        IsRunning = false;
        dht.Unregister(this);
        EndLookups();
    }

    /// <summary>The session's DHT went away: lookups end (the session drops the schedule).</summary>
    internal void DhtStopped() => EndLookups();

    /// <summary>Its turn came (the session's tick): looks up and announces if it may, and says when it is due again.</summary>
    internal TimeSpan LookUp()
    {
        var node = dht.Node;
        if (!IsRunning || node is null)
        {
            return Timeout.InfiniteTimeSpan;
        }

        EndLookups();
        if (!context.MayAnnounce())
        {
            // Paused, queued or checking: look again shortly, so a torrent that can announce again is not left waiting.
            return WaitInterval;
        }

        int port = context.ListenPort();
        var announce = port > 0 ? new DhtAnnounce(port, Seed: context.IsSeeding()) : null;
        foreach (var hash in TorrentSession.WireHashes(context.InfoHashes))
        {
            _lookups.Add(node.GetPeers(hash, announce, peers => context.Loop.Post(_ => Deliver(peers), null), static _ => { }));
        }

        var interval = context.NeedsPeersSoon() ? UrgentInterval : dht.AnnounceInterval;
        return interval + TimeSpan.FromTicks((long)(interval.Ticks * 0.1 * random.NextDouble()));
    }

    private void Deliver(IReadOnlyList<IPEndPoint> peers)
    {
        if (!IsRunning || peers.Count == 0)
        {
            return;
        }

        var found = new List<DiscoveredPeer>(Math.Min(peers.Count, MaxPeersPerBatch));
        foreach (var peer in peers)
        {
            if (found.Count == MaxPeersPerBatch)
            {
                break;
            }

            if (peer.Port != 0)
            {
                found.Add(new DiscoveredPeer(peer));
            }
        }

        if (found.Count > 0)
        {
            context.Sink.Discovered(found, Kind);
        }
    }

    private void EndLookups()
    {
        foreach (var lookup in _lookups)
        {
            lookup.Dispose();
        }

        _lookups.Clear();
    }

    private void WarnIfAlone()
    {
        if (!_warned && IsRunning && dht.Node is null && context.NeedsPeersSoon() && !context.HasOtherSources())
        {
            _warned = true;
            context.Warn("no trackers, no peers and the DHT is off: nothing can find peers for this magnet link");
        }
    }
}
