namespace GodotTorrent.Interop.Harness;

/// <summary>
/// One file as libtorrent's file_storage reports it. Path uses '/' and, for multi-file
/// torrents, starts with the torrent name ("name/dir/file"); a single-file torrent's path is
/// its name. Pad files (v2 and hybrid) appear as "name/.pad/SIZE" with Pad = true; for v2-only
/// torrents they are libtorrent's in-memory alignment, not entries of the file. Root is the
/// v2 "pieces root" in hex, null for v1-only torrents, pad files and empty files.
/// </summary>
public sealed record LtFileEntry(
    string Path,
    long Size,
    long Offset,
    bool Pad,
    bool Executable,
    bool Hidden,
    bool Symlink,
    string? Root);
