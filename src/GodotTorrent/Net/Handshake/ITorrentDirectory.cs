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

    /// <summary>True when the torrent known by <paramref name="wireHash"/> has a v2 info-hash: our handshake then sets BEP 52's upgrade bit.</summary>
    bool HasV2(Id20 wireHash) => false;

    /// <summary>
    /// The truncated v2 hash of the hybrid torrent known by its v1 hash <paramref name="wireHash"/>,
    /// else null: BEP 52's upgrade, where a peer answers a v1 handshake that set the upgrade bit
    /// with the v2 hash (libtorrent does).
    /// </summary>
    Id20? UpgradedHash(Id20 wireHash) => null;
}
