using GodotTorrent.Wire;

namespace GodotTorrent.Net.Handshake;

/// <summary>The torrents a session serves, looked up by the 20-byte hash a handshake carries. Any thread.</summary>
internal interface ITorrentDirectory
{
    /// <summary>True when a torrent known by this v1 hash or truncated v2 hash (BEP 52) takes peers now.</summary>
    bool AcceptsPeers(Id20 wireHash);
}
