namespace GodotTorrent.Metainfo;

/// <summary>
/// Reads a .torrent file, never more than the size limit. A regular file's size is known before
/// reading; a pipe or a device reports none (or 0), so it is read to its end but stopped at the
/// limit: <c>/dev/zero</c> has no end, and reading it whole ran out of memory.
/// </summary>
internal static class TorrentFileBytes
{
    // Stream.CopyTo sizes its buffer from a seekable stream's remaining length: 1 byte for a device
    // that says it is 0 bytes long, so /dev/zero took 64 Mi reads (16 s) to reach the limit.
    private const int CopyBufferSize = 81920;

    public static byte[] Read(Stream stream, int maxBytes)
    {
        using var buffer = Prepare(stream, maxBytes);
        stream.CopyTo(buffer, CopyBufferSize);
        return buffer.ToArray();
    }

    public static async Task<byte[]> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = Prepare(stream, maxBytes);
        await stream.CopyToAsync(buffer, CopyBufferSize, cancellationToken).ConfigureAwait(false);
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
