namespace GodotTorrent.Cli.Output;

/// <summary>One file of an <see cref="InfoReport"/>.</summary>
internal sealed record InfoFileReport
{
    /// <summary>Position in the torrent's file list (the same as <c>FileEntry.Index</c>).</summary>
    public required int Index { get; init; }

    /// <summary>Sanitised path with '/' separators; starts with the torrent's name for a multi-file torrent.</summary>
    public required string Path { get; init; }

    /// <summary>Size in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>Offset in the torrent's piece space.</summary>
    public required long Offset { get; init; }

    /// <summary>True for a BEP 47 pad file (never written to disk).</summary>
    public required bool Pad { get; init; }

    /// <summary>True for a BEP 47 executable file.</summary>
    public required bool Executable { get; init; }

    /// <summary>True for a BEP 47 hidden file.</summary>
    public required bool Hidden { get; init; }

    /// <summary>For a symlink, its target relative to the torrent's root; otherwise null.</summary>
    public required string? SymlinkTarget { get; init; }

    /// <summary>The v2 pieces root in lower-case hex, or null (v1 torrents, empty files, pad files).</summary>
    public required string? PiecesRoot { get; init; }
}
