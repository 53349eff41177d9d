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
/// as libtorrent does. Peers are delivered on the engine loop. Engine loop only.
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
    private ITimer? _timer;
    private int _generation;
    private bool _warned;

    public PeerSource Kind => PeerSource.Dht;

    public bool IsRunning { get; private set; }

    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        IsRunning = true;
        dht.Register(this);
        if (dht.Node is not null)
        {
            LookUp();
        }
        else
        {
            // After the torrent's own start: its trackers and given peers are known by then.
            context.Loop.Post(_ => WarnIfAlone(), null);
        }
    }

    public void Stop()
    {
        IsRunning = false;
        dht.Unregister(this);
        Cancel();
    }

    /// <summary>The session's DHT came up: look up at once.</summary>
    internal void DhtStarted()
    {
        if (IsRunning)
        {
            LookUp();
        }
    }

    /// <summary>The session's DHT went away: lookups and the schedule end.</summary>
    internal void DhtStopped() => Cancel();

    private void LookUp()
    {
        var node = dht.Node;
        if (!IsRunning || node is null)
        {
            return;
        }

        EndLookups();
        if (context.MayAnnounce())
        {
            int port = context.ListenPort();
            var announce = port > 0 ? new DhtAnnounce(port, Seed: context.IsSeeding()) : null;
            foreach (var hash in TorrentSession.WireHashes(context.InfoHashes))
            {
                _lookups.Add(node.GetPeers(hash, announce, peers => context.Loop.Post(_ => Deliver(peers), null), static _ => { }));
            }

            Schedule(context.NeedsPeersSoon() ? UrgentInterval : dht.AnnounceInterval);
        }
        else
        {
            // Paused, queued or checking: look again shortly, so a torrent that can announce again is not left waiting.
            Schedule(WaitInterval);
        }
    }

    private void Schedule(TimeSpan interval)
    {
        _timer?.Dispose();
        int generation = ++_generation;
        var due = interval + TimeSpan.FromTicks((long)(interval.Ticks * 0.1 * random.NextDouble()));
        _timer = context.Time.CreateTimer(_ => context.Loop.Post(_ =>
        {
            if (generation == _generation)
            {
                LookUp();
            }
        }, null), null, due, Timeout.InfiniteTimeSpan);
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

    private void Cancel()
    {
        _generation++;
        _timer?.Dispose();
        _timer = null;
        EndLookups();
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
