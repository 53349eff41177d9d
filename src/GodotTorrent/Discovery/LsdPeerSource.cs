using System.Net;
using GodotTorrent.Peers;
using GodotTorrent.Session;

namespace GodotTorrent.Discovery;

/// <summary>
/// One torrent's local service discovery (BEP 14): announces its wire hashes (v1, and v2
/// truncated) when it starts and every 5 minutes after, as libtorrent does, and takes the peers
/// the session hears announce them. Never runs for a private torrent (<see cref="PeerSourceSet"/>).
/// Engine loop only.
/// </summary>
internal sealed class LsdPeerSource(PeerSourceContext context, SessionLsd lsd) : IPeerSource
{
    /// <summary>How often a running torrent announces again.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    // A torrent that may not announce now (paused, queued, checking) checks again this soon: a
    // timer, nothing on the wire. Short, as a peer that starts later is found only through its own
    // start-up announce, which waits for the check.
    private static readonly TimeSpan WaitInterval = TimeSpan.FromSeconds(2);

    private ITimer? _timer;
    private int _generation;

    public PeerSource Kind => PeerSource.Lsd;

    public bool IsRunning { get; private set; }

    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        IsRunning = true;
        lsd.Register(this, TorrentSession.WireHashes(context.InfoHashes));
        AnnounceNow();
    }

    public void Stop()
    {
        IsRunning = false;
        lsd.Unregister(this);
        _generation++;
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>Announces now (when the torrent may) and restarts the schedule.</summary>
    internal void AnnounceNow()
    {
        if (!IsRunning)
        {
            return;
        }

        bool may = context.MayAnnounce();
        if (may)
        {
            lsd.Announce(TorrentSession.WireHashes(context.InfoHashes));
        }

        _timer?.Dispose();
        int generation = ++_generation;
        _timer = context.Time.CreateTimer(_ => context.Loop.Post(_ =>
        {
            if (generation == _generation)
            {
                AnnounceNow();
            }
        }, null), null, may ? Interval : WaitInterval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A peer on the local network announced this torrent.</summary>
    internal void Deliver(IPEndPoint peer)
    {
        if (IsRunning)
        {
            context.Sink.Discovered([new DiscoveredPeer(peer)], Kind);
        }
    }
}
