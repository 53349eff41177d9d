namespace GodotTorrent.Net.Handshake;

/// <summary>A connection whose BitTorrent handshake is done: the (possibly decorated) stream and what the peer sent.</summary>
/// <param name="Stream">The stream to run the peer wire protocol on.</param>
/// <param name="Handshake">The peer's handshake; its info-hash names the torrent.</param>
/// <param name="Encryption">Whether MSE ran first and what the stream carries since.</param>
internal sealed record NegotiatedConnection(IPeerConnectionStream Stream, Wire.Handshake Handshake, Session.PeerEncryption Encryption = Session.PeerEncryption.None);
