using GodotTorrent.Engine;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Discovery;

/// <summary>What a peer source made for one torrent gets: which torrent, where to deliver, and the session's loop and clock.</summary>
/// <param name="InfoHashes">The torrent's hashes (what a DHT or LSD looks up and announces).</param>
/// <param name="Sink">The torrent's peer list; deliver on <paramref name="Loop"/>.</param>
/// <param name="Loop">The session's engine loop.</param>
/// <param name="Time">The session's clock.</param>
internal sealed record PeerSourceContext(InfoHashes InfoHashes, IPeerSink Sink, EngineLoop Loop, TimeProvider Time);
