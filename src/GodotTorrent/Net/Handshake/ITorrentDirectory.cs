using GodotTorrent.Wire;

namespace GodotTorrent.Net.Handshake;

/// <summary>The torrents a session serves, looked up by the 20-byte hash a handshake carries. Any thread.</summary>
internal interface ITorrentDirectory
{
    /// <summary>True when a torrent known by this v1 hash or truncated v2 hash (BEP 52) takes peers now.</summary>
    bool AcceptsPeers(Id20 wireHash);

    /// <summary>
    /// Every wire hash taking peers: an encrypted handshake (MSE, step 09) names its torrent only
    /// as SHA1("req2", hash), so the decorator hashes each of these to find it.
    /// </summary>
    IEnumerable<Id20> WireHashes();

    /// <summary>
    /// The info-hashes of the torrent known by <paramref name="wireHash"/>, or null: with a v2 hash
    /// our handshake sets BEP 52's upgrade bit, and a hybrid's v1 handshake may be upgraded.
    /// </summary>
    Metainfo.InfoHashes? InfoHashesOf(Id20 wireHash) => null;
}
