namespace GodotTorrent.Storage;

/// <summary>
/// Resolves torrent-relative paths under a save folder. File paths are sanitised when the
/// torrent is parsed; this is the second line of defence, so a hostile or buggy path, or a
/// symlink planted inside the folder, can never make storage touch a file outside it.
/// </summary>
internal static class SafePaths
{
    private static StringComparison Comparison =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public static string Root(string savePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(savePath);
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(savePath));
    }

    public static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), Comparison);

    public static bool IsInside(string root, string path) =>
        path.Length > root.Length + 1
        && path.StartsWith(root, Comparison)
        && (path[root.Length] == Path.DirectorySeparatorChar || path[root.Length] == Path.AltDirectorySeparatorChar);

    /// <summary>The full path of <paramref name="relative"/> under <paramref name="root"/>; InvalidPath when it would leave it.</summary>
    public static string Resolve(string root, string relative)
    {
        string full;
        try
        {
            string native = relative.Replace('/', Path.DirectorySeparatorChar);
            full = Path.GetFullPath(Path.Join(root, native));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new StorageException(ErrorCode.InvalidPath, $"'{relative}' is not a usable path.", relative, -1, ex);
        }

        if (Path.IsPathRooted(relative) || !IsInside(root, full))
        {
            throw new StorageException(ErrorCode.InvalidPath, $"'{relative}' resolves outside the save folder {root}.", full);
        }

        CheckLinks(root, full);
        return full;
    }

    // A symlink inside the save folder (a folder or the file itself) may point anywhere; follow
    // none whose final target lies outside.
    private static void CheckLinks(string root, string full)
    {
        var parts = full[(root.Length + 1)..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        string current = root;
        foreach (string part in parts)
        {
            current = Path.Join(current, part);
            FileSystemInfo info = new FileInfo(current);
            try
            {
                if (info.LinkTarget is null)
                {
                    if (!info.Exists && !Directory.Exists(current))
                    {
                        return;
                    }

                    continue;
                }

                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !IsInside(root, Path.GetFullPath(target.FullName)))
                {
                    throw new StorageException(ErrorCode.InvalidPath, $"{current} is a link that leads outside the save folder {root}.", current);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw StorageErrors.Wrap(ex, "inspect", current, -1);
            }
        }
    }
}
