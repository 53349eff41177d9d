namespace GodotTorrent.Storage;

/// <summary>
/// A storage that can also read on the calling thread, for workers that are already off the
/// engine loop (the check's). On Unix an async file read is the same blocking <c>pread</c>
/// handed to another pool thread; that hop per piece cost the check about a twentieth of its CPU.
/// </summary>
internal interface IBlockingPieceReads
{
    /// <summary>
    /// Reads as <see cref="IPieceStorage.ReadAsync"/> does, blocking; false, with nothing read,
    /// when these bytes can only be read asynchronously (for instance bytes kept in a part file).
    /// </summary>
    bool TryReadBlocking(int piece, int offset, Span<byte> buffer);
}
