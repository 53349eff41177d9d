namespace GodotTorrent.Storage;

/// <summary>
/// A storage that can write a run of contiguous blocks of one piece with one vectored write per
/// file (<c>pwritev</c>), on the calling thread, for <see cref="PieceWriter"/>'s workers, which are
/// already off the engine loop. One system call per 16 KiB block was most of the downloader's
/// kernel time; the blocks stay in their own pooled buffers, so nothing is copied to coalesce them.
/// </summary>
internal interface IVectoredPieceWrites
{
    /// <summary>
    /// Writes <paramref name="blocks"/> one after another into <paramref name="piece"/> from
    /// <paramref name="offset"/>, as that many <see cref="IPieceStorage.WriteAsync"/> calls would;
    /// false, with nothing written, when these bytes can only be written asynchronously (for
    /// instance bytes kept in a part file).
    /// </summary>
    /// <exception cref="StorageException">The disk is full, access is denied, or another disk error; any part of the run may have been written.</exception>
    bool TryWriteBlocking(int piece, int offset, IReadOnlyList<ReadOnlyMemory<byte>> blocks);

    /// <summary>The bytes in a run of blocks, summed as a <see langword="long"/> so no run can overflow it.</summary>
    static long RunLength(IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        long total = 0;
        foreach (var block in blocks)
        {
            total += block.Length;
        }

        return total;
    }
}
