namespace GodotTorrent.Discovery;

/// <summary>
/// Makes one torrent's instance of a session-wide way of finding peers (the DHT and LSD join the
/// engine this way); the session's services hold the list, and every torrent gets one of each.
/// </summary>
internal delegate IPeerSource PeerSourceFactory(PeerSourceContext context);
