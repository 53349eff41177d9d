using GodotTorrent.Metainfo;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Session;
using GodotTorrent.Swarm;
using GodotTorrent.Wire;

namespace GodotTorrent.Torrent;

/// <summary>
/// What <see cref="TorrentConnections"/> needs of the torrent whose peers it keeps. The torrent
/// implements it; engine loop only.
/// </summary>
internal interface ITorrentConnectionsHost
{
    TorrentHandle Handle { get; }

    /// <summary>The metadata, null while a magnet is still fetching it.</summary>
    TorrentInfo? Torrent { get; }

    /// <summary>True while the torrent's phase lets it dial peers.</summary>
    bool MayDial { get; }

    /// <summary>True while incoming connections for this torrent are welcome.</summary>
    bool AcceptsPeers { get; }

    bool IsSeeding { get; }

    /// <summary>The 20 bytes we put in handshakes.</summary>
    Id20 WireHash { get; }

    /// <summary>The torrent's info-hashes (a peer speaks BEP 52 when it names the v2 one).</summary>
    InfoHashes InfoHashes { get; }

    /// <summary>True once the torrent has a picker, so a new peer can be told our pieces.</summary>
    bool HasPicker { get; }

    /// <summary>The pieces we have.</summary>
    Bitfield OurPieces { get; }

    /// <summary>The bytes of <paramref name="piece"/> as peers see them on the wire.</summary>
    int WirePieceSize(int piece);

    /// <summary>Our BEP 10 handshake as <paramref name="peer"/> should see it.</summary>
    ExtensionHandshake OurExtensionHandshake(PeerConnection peer);

    /// <summary>A batch of messages arrived from <paramref name="peer"/>.</summary>
    void OnMessages(PeerConnection peer, List<InboundMessage> batch);

    /// <summary>The peer's send queue drained: blocks may go out.</summary>
    void ServeUploads(PeerConnection peer);

    /// <summary>Sends the requests the peer's queue and the budgets allow.</summary>
    void Refill(PeerConnection peer);

    /// <summary>
    /// <paramref name="peer"/> left the torrent's set: forget its extension state, keep its totals,
    /// free its outstanding blocks' disk budget and tell the picker.
    /// </summary>
    void PeerClosed(PeerConnection peer);
}
