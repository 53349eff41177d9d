namespace GodotTorrent.Metainfo;

/// <summary>One file of a torrent, as an immutable snapshot of its metainfo.</summary>
public sealed record FileEntry
{
    /// <summary>Position of the file in <see cref="TorrentInfo.Files"/>.</summary>
    public required int Index { get; init; }

    /// <summary>
    /// The sanitised path relative to the save folder, with '/' separators. For a multi-file
    /// torrent it starts with the torrent's name, as the files are stored in that folder. It
    /// never escapes the save folder.
    /// </summary>
    public required string Path { get; init; }

    /// <summary>The path as the torrent spells it (same layout as <see cref="Path"/>), for display only.</summary>
    public required string OriginalPath { get; init; }

    /// <summary>Size in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>
    /// Where the file starts in the torrent's piece space: the byte offset in the concatenation
    /// of all files (v1), with each file aligned to a piece boundary in v2 and hybrid torrents.
    /// </summary>
    public required long Offset { get; init; }

    /// <summary>BEP 47 attributes.</summary>
    public TorrentFileAttributes Attributes { get; init; }

    /// <summary>For a symlink, the sanitised target path relative to the torrent's root; otherwise null.</summary>
    public string? SymlinkTarget { get; init; }

    /// <summary>BEP 52 pieces root (32 bytes) of a non-empty file in a v2 or hybrid torrent; otherwise empty.</summary>
    public ReadOnlyMemory<byte> PiecesRoot { get; init; }

    /// <summary>True for a BEP 47 pad file.</summary>
    public bool IsPad => (Attributes & TorrentFileAttributes.Pad) != 0;

    /// <summary>The index of the first piece holding bytes of this file (for an empty file, the piece at its offset).</summary>
    public int FirstPiece { get; init; }

    /// <summary>The index of the last piece holding bytes of this file (for an empty file, <see cref="FirstPiece"/> - 1).</summary>
    public int LastPiece { get; init; }
}
