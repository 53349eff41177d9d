namespace GodotTorrent.Metainfo;

/// <summary>A memory stream that refuses to grow past a limit: what <see cref="TorrentFileBytes"/> copies a file into.</summary>
internal sealed class BoundedBuffer(int capacity, int maxBytes) : MemoryStream(capacity)
{
    public static TorrentFormatException TooLarge(int maxBytes) =>
        new(ErrorCode.InputTooLarge, $"The torrent file is larger than {maxBytes} bytes.");

    public override void Write(byte[] buffer, int offset, int count)
    {
        Check(count);
        base.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Check(buffer.Length);
        base.Write(buffer);
    }

    private void Check(int count)
    {
        if (Length + count > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
    }
}
