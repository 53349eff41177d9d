namespace GodotTorrent.Metainfo;

/// <summary>
/// A file as the v1 files list or the v2 file tree names it, before paths are sanitised and made
/// unique. A struct: a torrent of many files holds them in one array, not an object each that
/// the collector would copy from generation to generation until the parse ends.
/// </summary>
internal readonly record struct RawFile(string[]? Components, long Length, long Offset, TorrentFileAttributes Attributes, string? Symlink, ReadOnlyMemory<byte> PiecesRoot)
{
    public bool IsPad => (Attributes & TorrentFileAttributes.Pad) != 0;
}
