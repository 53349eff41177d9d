using GodotTorrent.Storage;

namespace GodotTorrent.Peers.Protocol;

/// <summary>What <see cref="UploadServer"/> needs of the torrent whose pieces it serves. Engine loop only.</summary>
internal interface IUploadHost
{
    /// <summary>True while blocks may be read and sent (the phase allows it, storage is open and not fenced).</summary>
    bool CanUpload { get; }

    DateTimeOffset Now { get; }

    /// <summary>The bytes of <paramref name="piece"/> that hold data.</summary>
    int PieceDataSize(int piece);

    /// <summary>Takes upload allowance for <paramref name="length"/> bytes from every limit that applies; false when one has none.</summary>
    bool TryConsumeUpload(int length);

    ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer);

    /// <summary>A block went out to <paramref name="peer"/>: count it.</summary>
    void Uploaded(PeerConnection peer, int length);

    /// <summary>Reading a block failed: the torrent stops on the error.</summary>
    void ReadFailed(StorageException error);

    /// <summary>The limits ran dry: try again shortly.</summary>
    void RetrySoon();
}
