using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Net.Handshake;

/// <summary>What a stream decorator hands back: the stream positioned at the BitTorrent handshake.</summary>
/// <param name="Stream">The stream the BitTorrent handshake and wire protocol run on.</param>
/// <param name="Encryption">What the connection carries after the decorator's handshake.</param>
/// <param name="WireHash">The torrent the decorator's handshake named (MSE's SKEY), if it named one: the BitTorrent handshake must name the same.</param>
internal sealed record DecoratedStream(IPeerConnectionStream Stream, PeerEncryption Encryption, Id20? WireHash);
