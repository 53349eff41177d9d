using System.Net;
using GodotTorrent.Peers;
using GodotTorrent.Session;

namespace GodotTorrent.Discovery;

/// <summary>
/// One torrent's local service discovery (BEP 14): announces its wire hashes (v1, and v2
/// truncated) when it starts and every 5 minutes after, as libtorrent does, and takes the peers
/// the session hears announce them. No timer of its own: <see cref="SessionLsd"/> keeps every
/// torrent's due time and calls it from the session's tick. Never runs for a private torrent (<see cref="PeerSourceSet"/>).
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

    public PeerSource Kind => PeerSource.Lsd;

    public bool IsRunning { get; private set; }

    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        IsRunning = true;
        // Announces at once (queued for the next datagram) and is scheduled from then on.
        lsd.Register(this, TorrentSession.WireHashes(context.InfoHashes));
    }

    public void Stop()
    {
        IsRunning = false;
        lsd.Unregister(this);
    }

    /// <summary>Announces now (when the torrent may) and says when it is due again (the session's schedule, <see cref="SessionLsd.Tick"/>).</summary>
    internal TimeSpan AnnounceNow()
    {
        if (!IsRunning)
        {
            return Timeout.InfiniteTimeSpan;
        }

        if (!context.MayAnnounce())
        {
            return WaitInterval;
        }

        lsd.Announce(TorrentSession.WireHashes(context.InfoHashes));
        return Interval;
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
