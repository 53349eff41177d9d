namespace GodotTorrent.Metainfo;

/// <summary>
/// Reads a .torrent file, never more than the size limit. A regular file's size is known before
/// reading; a pipe or a device reports none (or 0), so it is read to its end but stopped at the
/// limit: <c>/dev/zero</c> has no end, and reading it whole ran out of memory.
/// </summary>
internal static class TorrentFileBytes
{
    public static byte[] Read(Stream stream, int maxBytes)
    {
        using var buffer = Prepare(stream, maxBytes);
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    public static async Task<byte[]> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = Prepare(stream, maxBytes);
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static BoundedBuffer Prepare(Stream stream, int maxBytes)
    {
        long known = stream.CanSeek ? stream.Length : 0;
        if (known > maxBytes)
        {
            throw BoundedBuffer.TooLarge(maxBytes);
        }

        return new BoundedBuffer((int)known, maxBytes);
    }
}
