using GodotTorrent.Engine;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Discovery;

/// <summary>What a peer source made for one torrent gets: which torrent, where to deliver, and the session's loop and clock.</summary>
/// <param name="InfoHashes">The torrent's hashes (what a DHT or LSD looks up and announces).</param>
/// <param name="Sink">The torrent's peer list; deliver on <paramref name="Loop"/>.</param>
/// <param name="Loop">The session's engine loop.</param>
/// <param name="Time">The session's clock.</param>
internal sealed record PeerSourceContext(InfoHashes InfoHashes, IPeerSink Sink, EngineLoop Loop, TimeProvider Time)
{
    /// <summary>The port peers reach us on (what an announce says); 0 while not listening. Engine loop only, as the rest.</summary>
    public Func<int> ListenPort { get; init; } = static () => 0;

    /// <summary>True while the torrent has every piece (a DHT announce says so).</summary>
    public Func<bool> IsSeeding { get; init; } = static () => false;

    /// <summary>True while the torrent's phase allows announcing (not paused, queued or checking).</summary>
    public Func<bool> MayAnnounce { get; init; } = static () => true;

    /// <summary>True while peers are needed urgently: a magnet link without its metadata and without a connection.</summary>
    public Func<bool> NeedsPeersSoon { get; init; } = static () => false;

    /// <summary>True when the torrent has another way to find peers: a tracker or a known peer address.</summary>
    public Func<bool> HasOtherSources { get; init; } = static () => true;

    /// <summary>Posts a warning about the torrent (a <see cref="Alerts.PerformanceWarningAlert"/>).</summary>
    public Action<string> Warn { get; init; } = static _ => { };
}
