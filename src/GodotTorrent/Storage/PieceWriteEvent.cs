namespace GodotTorrent.Storage;

/// <summary>What happened to a piece in the <see cref="PieceWriter"/>.</summary>
internal enum PieceWriteOutcome
{
    /// <summary>Every byte is written and the piece matched its hashes.</summary>
    Passed,

    /// <summary>Every byte is written but the piece failed its hash check; it must be downloaded again.</summary>
    HashFailed,

    /// <summary>Storage failed writing or reading back the piece; its blocks are dropped and <see cref="PieceWriteEvent.Error"/> says why.</summary>
    StorageFailed,
}

/// <summary>
/// One event for the engine to drain from <see cref="PieceWriter.Events"/>. A hashed piece (passed or
/// failed) carries a <see cref="BlockDigest"/> of each 16 KiB block as hashed, for smart ban; a
/// failed piece of a v2 file also carries the SHA-256 of each block (its BEP 52 leaves), to be
/// compared with block hashes from a peer.
/// </summary>
internal readonly record struct PieceWriteEvent(int Piece, PieceWriteOutcome Outcome, StorageException? Error = null, ulong[]? BlockDigests = null, byte[]? LeafHashes = null);
