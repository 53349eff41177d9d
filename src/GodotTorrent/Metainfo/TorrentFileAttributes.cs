namespace GodotTorrent.Metainfo;

/// <summary>BEP 47 file attributes (the <c>attr</c> string of a file entry).</summary>
[Flags]
public enum TorrentFileAttributes
{
    /// <summary>An ordinary file.</summary>
    None = 0,
    /// <summary><c>p</c>: a pad file, zeros that align the next file to a piece boundary; never written to disk.</summary>
    Pad = 1,
    /// <summary><c>x</c>: the file is executable.</summary>
    Executable = 2,
    /// <summary><c>h</c>: the file is hidden.</summary>
    Hidden = 4,
    /// <summary><c>l</c>: the file is a symbolic link (see <see cref="FileEntry.SymlinkTarget"/>).</summary>
    Symlink = 8,
}
