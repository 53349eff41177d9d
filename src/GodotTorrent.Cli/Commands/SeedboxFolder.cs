namespace GodotTorrent.Cli.Commands;

/// <summary>The .torrent files of a seedbox's folder, at most <see cref="MaxTorrents"/> of them, in name order.</summary>
internal static class SeedboxFolder
{
    /// <summary>The most torrents one seedbox serves; past it the rest are left out (and said so once).</summary>
    public const int MaxTorrents = 10_000;

    /// <summary>The .torrent files directly in <paramref name="folder"/> (not in subfolders, where the data is), full paths.</summary>
    public static IReadOnlyList<string> List(string folder, out bool truncated)
    {
        var files = Directory.EnumerateFiles(folder, "*.torrent", new EnumerationOptions { RecurseSubdirectories = false, MatchCasing = MatchCasing.CaseInsensitive })
            .Take(MaxTorrents + 1)
            .Order(StringComparer.Ordinal)
            .ToList();
        truncated = files.Count > MaxTorrents;
        return truncated ? files[..MaxTorrents] : files;
    }

    /// <summary>The default state folder: a hidden folder inside the watched one.</summary>
    public static string DefaultState(string folder) => Path.Combine(folder, ".gdtorrent-seedbox");
}
