using GodotTorrent.Session;

namespace GodotTorrent.Net.Handshake;

/// <summary>A connection whose BitTorrent handshake is done: the (possibly decorated) stream and what the peer sent.</summary>
/// <param name="Stream">The stream to run the peer wire protocol on.</param>
/// <param name="Handshake">The peer's handshake; its info-hash names the torrent.</param>
/// <param name="Encryption">Whether an MSE handshake came first, and at what level the connection runs.</param>
internal sealed record NegotiatedConnection(IPeerConnectionStream Stream, Wire.Handshake Handshake, PeerEncryption Encryption = PeerEncryption.None);
