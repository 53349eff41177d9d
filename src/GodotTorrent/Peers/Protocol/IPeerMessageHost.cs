using GodotTorrent.Swarm;

namespace GodotTorrent.Peers.Protocol;

/// <summary>
/// What <see cref="PeerMessageHandler"/> needs of the torrent it handles messages for. The torrent
/// implements it; engine loop only.
/// </summary>
internal interface IPeerMessageHost
{
    /// <summary>True once the torrent stopped: messages still arriving are dropped.</summary>
    bool IsStopped { get; }

    DateTimeOffset Now { get; }

    /// <summary>The number of pieces, or null while the metadata is not known.</summary>
    int? PieceCount { get; }

    /// <summary>The picker, null while there is none (metadata, checking).</summary>
    PiecePicker? Picker { get; }

    /// <summary>The pieces we have.</summary>
    Bitfield OurPieces { get; }

    bool IsSeeding { get; }

    /// <summary>True when the app asked to download nothing (upload-only mode).</summary>
    bool UploadOnly { get; }

    RequestScheduler Requests { get; }

    /// <summary>True when an unchoke slot is free, so an interested peer need not wait for the choker.</summary>
    bool HasFreeUploadSlot { get; }

    void Unchoke(PeerConnection peer);

    void Disconnect(PeerConnection peer, ErrorCode code, string reason);

    /// <summary>A block arrived (its buffer is pooled and passes to the torrent).</summary>
    void OnBlock(PeerConnection peer, in InboundMessage message);

    /// <summary>A BEP 10 extension message arrived.</summary>
    void OnExtended(PeerConnection peer, in InboundMessage message);

    /// <summary>A BEP 52 hash request, hashes or hash reject arrived (its fields and hashes in <c>Data</c>).</summary>
    void OnHashMessage(PeerConnection peer, in InboundMessage message);

    /// <summary>The peer's DHT node listens on <paramref name="port"/> at its address (BEP 5 port message).</summary>
    void OnDhtPort(PeerConnection peer, int port);

    /// <summary>A batch was handled and the peer is still connected: request and upload what is due.</summary>
    void AfterBatch(PeerConnection peer);
}
