namespace GodotTorrent.Storage;

/// <summary>Verifies whole pieces read from an <see cref="IPieceStorage"/>.</summary>
internal static class PieceVerifier
{
    /// <summary>
    /// Reads piece <paramref name="piece"/> into <paramref name="buffer"/> (at least a piece long)
    /// and checks its hashes with <paramref name="hasher"/>. Missing or short files make the
    /// piece invalid instead of throwing: that is an answer, not an error, for a check.
    /// </summary>
    /// <exception cref="StorageException">A disk error other than a missing or short file (permission, I/O).</exception>
    public static async ValueTask<bool> VerifyAsync(IPieceStorage storage, PieceHasher hasher, int piece, byte[] buffer, CancellationToken cancellationToken)
    {
        var data = buffer.AsMemory(0, storage.Torrent.GetPieceSize(piece));
        return await ReadAsync(storage, piece, 0, data, cancellationToken).ConfigureAwait(false) && hasher.Verify(piece, data.Span);
    }

    /// <summary>
    /// Reads <paramref name="data"/>'s length of piece <paramref name="piece"/> from
    /// <paramref name="offset"/>; false when a file is missing or short (nothing to verify).
    /// </summary>
    /// <exception cref="StorageException">A disk error other than a missing or short file (permission, I/O).</exception>
    public static async ValueTask<bool> ReadAsync(IPieceStorage storage, int piece, int offset, Memory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            // The check's workers are off the loop already: read on this thread when the storage can.
            if (storage is not IBlockingPieceReads blocking || !blocking.TryReadBlocking(piece, offset, data.Span))
            {
                await storage.ReadAsync(piece, offset, data, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (StorageException ex) when (ex.ErrorCode == ErrorCode.FileMissing)
        {
            return false;
        }
    }
}
