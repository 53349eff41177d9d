using GodotTorrent.Peers.Protocol;

namespace GodotTorrent.Torrent;

/// <summary>What <see cref="MetadataPhase"/> needs of its torrent. Engine loop only.</summary>
internal interface IMetadataPhaseHost
{
    /// <summary>The torrent's open connections.</summary>
    IEnumerable<PeerConnection> ConnectedPeers { get; }

    bool TryGetPeer(int id, out PeerConnection peer);

    void Disconnect(PeerConnection peer, ErrorCode code, string reason);

    /// <summary>True once the torrent was removed.</summary>
    bool IsRemoved { get; }

    /// <summary>The fetched metadata matched the info-hash: adopt it (see <see cref="MetadataPhase.ParseAsync"/>).</summary>
    void MetadataFetched(byte[] infoBytes);

    /// <summary>Fetching or parsing the metadata failed: tell the app.</summary>
    void MetadataFailed(ErrorCode code, string message);

    /// <summary>The torrent cannot go on: it stops on the error.</summary>
    void Fail(ErrorCode code, string message);
}
