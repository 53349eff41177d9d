using System.Text;

namespace GodotTorrent.Metainfo;

/// <summary>Finds the files <see cref="TorrentCreator"/> shares under a path, applying the hidden-file and symlink policies.</summary>
internal static class CreatorScanner
{
    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    public static List<CreatorFile> Scan(DirectoryInfo root, TorrentCreatorOptions options, CancellationToken cancellationToken)
    {
        var files = new List<CreatorFile>();
        var rootPath = Path.TrimEndingDirectorySeparator(root.FullName) + Path.DirectorySeparatorChar;
        Walk(root, rootPath, [], files, options, cancellationToken);
        return files;
    }

    public static CreatorFile SingleFile(FileInfo file, TorrentCreatorOptions options) =>
        new(file.FullName, null, file.Length, IsExecutable(file, options));

    private static void Walk(DirectoryInfo directory, string rootPath, List<byte[]> prefix, List<CreatorFile> files, TorrentCreatorOptions options, CancellationToken cancellationToken)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos("*", OneLevel))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!options.IncludeHiddenFiles && (entry.Name.StartsWith('.') || (entry.Attributes & FileAttributes.Hidden) != 0))
            {
                continue;
            }

            var component = Encoding.UTF8.GetBytes(entry.Name);
            if (entry.LinkTarget is not null)
            {
                if (options.Symlinks == SymlinkPolicy.FollowInsideRoot
                    && entry is FileInfo
                    && entry.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true } target
                    && target.FullName.StartsWith(rootPath, StringComparison.Ordinal))
                {
                    files.Add(new CreatorFile(entry.FullName, [.. prefix, component], target.Length, IsExecutable(target, options)));
                }

                continue;
            }

            switch (entry)
            {
                case DirectoryInfo child:
                    prefix.Add(component);
                    Walk(child, rootPath, prefix, files, options, cancellationToken);
                    prefix.RemoveAt(prefix.Count - 1);
                    break;
                case FileInfo file:
                    files.Add(new CreatorFile(file.FullName, [.. prefix, component], file.Length, IsExecutable(file, options)));
                    break;
            }
        }
    }

    private static bool IsExecutable(FileInfo file, TorrentCreatorOptions options) =>
        options.RecordExecutableAttribute && !OperatingSystem.IsWindows() && (file.UnixFileMode & UnixFileMode.UserExecute) != 0;

    /// <summary>
    /// v1: the whole relative path's bytes, as mktorrent does ("a-c" &lt; "a.txt" &lt; "a/b").
    /// v2 and hybrid: component by component, the order of the BEP 52 file tree ("a/b" &lt; "a-c").
    /// </summary>
    public static int Compare(CreatorFile x, CreatorFile y, bool byComponent)
    {
        var a = x.Components!;
        var b = y.Components!;
        if (byComponent)
        {
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                int c = a[i].AsSpan().SequenceCompareTo(b[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return a.Length.CompareTo(b.Length);
        }

        return x.JoinedPath.AsSpan().SequenceCompareTo(y.JoinedPath);
    }
}
