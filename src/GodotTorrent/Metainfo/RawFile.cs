namespace GodotTorrent.Metainfo;

/// <summary>
/// A file as the v1 files list or the v2 file tree names it, before paths are sanitised and made
/// unique. A class, not a struct: the list of a v1 torrent's files grows as they are decoded,
/// and each doubling copies a reference, not 56 bytes.
/// </summary>
internal sealed record RawFile(string[]? Components, long Length, long Offset, TorrentFileAttributes Attributes, string? Symlink, ReadOnlyMemory<byte> PiecesRoot)
{
    // Set in place for v2 files, which start on piece boundaries known only after the tree is read.
    public long Offset { get; set; } = Offset;

    public bool IsPad => (Attributes & TorrentFileAttributes.Pad) != 0;
}
