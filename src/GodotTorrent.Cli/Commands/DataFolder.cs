using GodotTorrent.Metainfo;

namespace GodotTorrent.Cli.Commands;

/// <summary>Finds the save folder of a torrent's data from what the user passed to <c>--data</c>.</summary>
internal static class DataFolder
{
    /// <summary>
    /// The save folder holds the torrent's paths (for a multi-file torrent, <c>&lt;dir&gt;/&lt;name&gt;/...</c>).
    /// When <paramref name="path"/> is the torrent's own folder (or its single file), that is,
    /// it is named like the torrent's top entry and does not hold an entry of that name, its
    /// parent is the save folder.
    /// </summary>
    public static string Resolve(TorrentInfo torrent, string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (!Directory.Exists(full) && !File.Exists(full))
        {
            throw new CliException($"{path}: no such folder");
        }

        string? top = torrent.Files.FirstOrDefault(f => !f.IsPad)?.Path.Split('/')[0];
        string? parent = Path.GetDirectoryName(full);
        if (top is not null && parent is not null
            && !File.Exists(Path.Combine(full, top)) && !Directory.Exists(Path.Combine(full, top))
            && string.Equals(Path.GetFileName(full), top, StringComparison.Ordinal))
        {
            return parent;
        }

        if (File.Exists(full))
        {
            throw new CliException($"{path}: is a file; --data takes the folder the torrent's data is saved in");
        }

        return full;
    }
}
