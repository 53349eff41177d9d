namespace GodotTorrent.Metainfo;

/// <summary>
/// A file as the v1 files list or the v2 file tree names it, before paths are sanitised and made
/// unique. A class, not a struct: the list of a v1 torrent's files grows as they are decoded,
/// and each doubling copies a reference, not 56 bytes.
/// </summary>
internal sealed record RawFile(string[]? Components, long Length, long Offset, TorrentFileAttributes Attributes, string? Symlink, ReadOnlyMemory<byte> PiecesRoot)
{
    public bool IsPad => (Attributes & TorrentFileAttributes.Pad) != 0;
}
