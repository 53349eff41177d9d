namespace GodotTorrent.Bencoding;

/// <summary>
/// Bytes that are already bencoded, written out verbatim: how an info dictionary received
/// with unsorted keys keeps its info-hash when the torrent is written again.
/// </summary>
internal sealed class BRaw(ReadOnlyMemory<byte> encoded) : BValue
{
    public ReadOnlyMemory<byte> Encoded { get; } = encoded;
}
