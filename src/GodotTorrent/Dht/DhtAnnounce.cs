namespace GodotTorrent.Dht;

/// <summary>What an announce_peer (BEP 5) says: our listen port, or that the receiver should use the port the query came from.</summary>
/// <param name="Port">The TCP/uTP listen port to announce.</param>
/// <param name="ImpliedPort">Sets <c>implied_port</c>: the receiver takes the UDP source port instead (useful behind a NAT).</param>
/// <param name="Seed">BEP 33-style hint that we have the whole torrent (libtorrent's <c>seed</c> key); false when unknown.</param>
internal sealed record DhtAnnounce(int Port, bool ImpliedPort = false, bool Seed = false);
