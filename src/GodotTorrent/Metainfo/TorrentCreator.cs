using System.Numerics;
using System.Reflection;
using System.Text;
using GodotTorrent.Bencoding;

namespace GodotTorrent.Metainfo;

/// <summary>
/// Makes torrents from a file or a folder: v1 (BEP 3), v2 (BEP 52) or hybrid. The same files and
/// options always give the same bytes (unless a creation date is set), and the info dictionary is
/// laid out as libtorrent 2.0 lays it out, so both compute the same info-hashes.
/// </summary>
public static class TorrentCreator
{
    /// <summary>The smallest automatic piece length (one v2 block).</summary>
    public const int MinAutoPieceLength = 16 * 1024;

    /// <summary>The largest automatic piece length.</summary>
    public const int MaxAutoPieceLength = 16 * 1024 * 1024;

    /// <summary>The largest piece length accepted in <see cref="TorrentCreatorOptions.PieceLength"/>.</summary>
    public const int MaxPieceLength = 128 * 1024 * 1024;

    // About 1,000-2,000 pieces keeps the v1 piece list near 40 KiB while pieces stay small enough to trade.
    private const long TargetPieces = 2048;

    /// <summary>The default <c>created by</c>: "Godot-Torrent/" and the library version.</summary>
    public static string DefaultCreatedBy { get; } = "Godot-Torrent/" + LibraryVersion();

    /// <summary>
    /// The automatic piece length for <paramref name="totalSize"/> bytes of content: the smallest
    /// power of two that gives at most 2,048 pieces (so between 1,024 and 2,048), clamped to
    /// 16 KiB..16 MiB.
    /// </summary>
    public static int ChoosePieceLength(long totalSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalSize);
        long wanted = (totalSize + TargetPieces - 1) / TargetPieces;
        if (wanted <= MinAutoPieceLength)
        {
            return MinAutoPieceLength;
        }

        return wanted >= MaxAutoPieceLength ? MaxAutoPieceLength : (int)BitOperations.RoundUpToPowerOf2((ulong)wanted);
    }

    /// <summary>
    /// Hashes the file or folder at <paramref name="path"/> and returns the new torrent; its
    /// <see cref="TorrentInfo.ToBytes"/> are the .torrent file. A folder's files are ordered by
    /// their whole relative path's UTF-8 bytes for v1, and component by component (the BEP 52 file
    /// tree order) for v2 and hybrid; empty files are kept.
    /// </summary>
    /// <param name="path">A file (a single-file torrent) or a folder (a multi-file torrent named after it).</param>
    /// <param name="options">What to write; null for <see cref="TorrentCreatorOptions.Default"/>.</param>
    /// <param name="progress">
    /// Told after each batch of pieces, in increasing order, from the hashing threads; the last
    /// report has every byte and piece. (<see cref="Progress{T}"/> without a synchronization
    /// context may run its handlers out of order.)
    /// </param>
    /// <param name="cancellationToken">Stops the walk and the hashing.</param>
    /// <exception cref="TorrentException">
    /// <see cref="ErrorCode.FileMissing"/> when <paramref name="path"/> does not exist,
    /// <see cref="ErrorCode.EmptyTorrent"/> when there is no content to share,
    /// <see cref="ErrorCode.FileChanged"/>, <see cref="ErrorCode.AccessDenied"/> or
    /// <see cref="ErrorCode.StorageIo"/> when reading fails.
    /// </exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<TorrentInfo> CreateAsync(string path, TorrentCreatorOptions? options = null, IProgress<TorrentCreationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= TorrentCreatorOptions.Default;
        Validate(options);
        bool v1 = (options.Version & TorrentVersion.V1) != 0;
        bool v2 = (options.Version & TorrentVersion.V2) != 0;

        var (name, files, multi) = await Task.Run(() => Collect(path, options, v1 && !v2, cancellationToken), cancellationToken).ConfigureAwait(false);
        long totalSize = files.Sum(f => f.Length);
        if (totalSize == 0)
        {
            throw new TorrentException(ErrorCode.EmptyTorrent, $"{path} holds no data to share.");
        }

        int pieceLength = options.PieceLength != 0 ? options.PieceLength : ChoosePieceLength(totalSize);
        long spaceEnd = Layout(files, pieceLength, v2, padFiles: v1 && v2 && files.Count > 1);

        var hasher = new CreatorHasher(files, pieceLength, spaceEnd, v1, v2, progress);
        await hasher.RunAsync(Math.Max(1, options.MaxDegreeOfParallelism), cancellationToken).ConfigureAwait(false);

        var bytes = await Task.Run(() => Build(name, files, multi, pieceLength, hasher.PieceHashes, options, v1, v2), cancellationToken).ConfigureAwait(false);
        int depth = files.Max(f => f.Components?.Length ?? 0);
        var parseOptions = new TorrentParseOptions
        {
            MaxTorrentSize = int.MaxValue,
            MaxFiles = int.MaxValue,
            MaxDepth = depth * 2 + 16,
            MaxPathDepth = depth + 1,
            MaxPieceLength = MaxPieceLength,
        };
        return TorrentInfo.Parse(bytes, parseOptions);
    }

    /// <summary>
    /// Creates the torrent as <see cref="CreateAsync"/> does and writes it to
    /// <paramref name="outputFile"/> (through a temporary file and a rename, so a reader never sees
    /// half a torrent).
    /// </summary>
    /// <param name="path">A file or a folder.</param>
    /// <param name="outputFile">Where to write the .torrent; replaced if it exists.</param>
    /// <param name="options">What to write; null for <see cref="TorrentCreatorOptions.Default"/>.</param>
    /// <param name="progress">Hashing progress, as for <see cref="CreateAsync"/>.</param>
    /// <param name="cancellationToken">Stops the work; nothing is written then.</param>
    public static async Task<TorrentInfo> CreateFileAsync(string path, string outputFile, TorrentCreatorOptions? options = null, IProgress<TorrentCreationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFile);
        var torrent = await CreateAsync(path, options, progress, cancellationToken).ConfigureAwait(false);
        var full = Path.GetFullPath(outputFile);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await File.WriteAllBytesAsync(temp, torrent.ToBytes(), cancellationToken).ConfigureAwait(false);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return torrent;
    }

    private static void Validate(TorrentCreatorOptions options)
    {
        if (options.Version is not (TorrentVersion.V1 or TorrentVersion.V2 or TorrentVersion.Hybrid))
        {
            throw new ArgumentException($"Unknown torrent version {options.Version}.", nameof(options));
        }

        int length = options.PieceLength;
        if (length != 0 && (length < MinAutoPieceLength || length > MaxPieceLength || !BitOperations.IsPow2(length)))
        {
            throw new ArgumentException($"The piece length must be 0 (automatic) or a power of two from 16 KiB to 128 MiB, not {length}.", nameof(options));
        }

        if (options.Name is { } name && (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name is "." or ".."))
        {
            throw new ArgumentException($"The name '{name}' is not a single path component.", nameof(options));
        }
    }

    private static (string Name, List<CreatorFile> Files, bool Multi) Collect(string path, TorrentCreatorOptions options, bool v1Order, CancellationToken cancellationToken)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Directory.Exists(full))
        {
            var directory = new DirectoryInfo(full);
            var files = CreatorScanner.Scan(directory, options, cancellationToken);
            if (files.Count == 0)
            {
                throw new TorrentException(ErrorCode.EmptyTorrent, $"{path} holds no files to share.");
            }

            files.Sort((x, y) => CreatorScanner.Compare(x, y, byComponent: !v1Order));
            return (options.Name ?? directory.Name, files, true);
        }

        if (File.Exists(full))
        {
            var file = new FileInfo(full);
            return (options.Name ?? file.Name, [CreatorScanner.SingleFile(file, options)], false);
        }

        throw new TorrentException(ErrorCode.FileMissing, $"{path} does not exist.");
    }

    /// <summary>
    /// Places the files in the piece space. BEP 52 starts every file on a piece boundary; a hybrid
    /// multi-file torrent spells the gaps out as BEP 47 pad files ("attr": "p", path ".pad/SIZE")
    /// after every file that does not end on one, as libtorrent does: the last file too, unless it
    /// is the only one (a single file, or a folder holding one file, gets no pad at all).
    /// </summary>
    private static long Layout(List<CreatorFile> files, int pieceLength, bool align, bool padFiles)
    {
        long offset = 0;
        long end = 0;
        foreach (var file in files)
        {
            file.Offset = offset;
            offset = checked(offset + file.Length);
            end = offset;
            if (align)
            {
                long gap = (pieceLength - (offset % pieceLength)) % pieceLength;
                offset += gap;
                if (padFiles)
                {
                    file.PadAfter = gap;
                    end = offset;
                }
            }
        }

        return end;
    }

    private static byte[] Build(string name, List<CreatorFile> files, bool multi, int pieceLength, byte[] pieceHashes, TorrentCreatorOptions options, bool v1, bool v2)
    {
        var info = new BDictionary();
        info.Set("name", new BString(name));
        info.Set("piece length", new BInteger(pieceLength));
        if (options.IsPrivate)
        {
            info.Set("private", new BInteger(1));
        }

        if (!string.IsNullOrEmpty(options.Source))
        {
            info.Set("source", new BString(options.Source));
        }

        var layers = new BDictionary();
        if (v2)
        {
            info.Set("meta version", new BInteger(2));
            var tree = new BDictionary();
            foreach (var file in files)
            {
                var node = tree;
                foreach (var component in file.Components ?? [Encoding.UTF8.GetBytes(name)])
                {
                    var key = new BString(component);
                    if (!node.TryGetValue(component, out var child))
                    {
                        child = new BDictionary();
                        node.Set(key, child);
                    }

                    node = (BDictionary)child;
                }

                var leaf = new BDictionary();
                leaf.Set("length", new BInteger(file.Length));
                if (file.Executable)
                {
                    leaf.Set("attr", new BString("x"));
                }

                if (file.Length > 0)
                {
                    var nodes = file.PieceNodes!;
                    bool hasLayer = file.Length > pieceLength;
                    var root = hasLayer ? MerkleTree.RootFromPieceLayer(nodes, pieceLength) : nodes;
                    leaf.Set("pieces root", new BString(root));
                    if (hasLayer)
                    {
                        layers.Set(new BString(root), new BString(nodes));
                    }
                }

                node.Set(new BString(ReadOnlyMemory<byte>.Empty), leaf);
            }

            info.Set("file tree", tree);
        }

        if (v1)
        {
            info.Set("pieces", new BString(pieceHashes));
            if (multi)
            {
                var list = new BList();
                foreach (var file in files)
                {
                    var entry = new BDictionary();
                    entry.Set("length", new BInteger(file.Length));
                    entry.Set("path", new BList(file.Components!.Select(c => new BString(c))));
                    if (file.Executable)
                    {
                        entry.Set("attr", new BString("x"));
                    }

                    list.Add(entry);
                    if (file.PadAfter > 0)
                    {
                        var pad = new BDictionary();
                        string size = file.PadAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        pad.Set("attr", new BString("p"));
                        pad.Set("length", new BInteger(file.PadAfter));
                        pad.Set("path", new BList([new BString(".pad"), new BString(size)]));
                        list.Add(pad);
                    }
                }

                info.Set("files", list);
            }
            else
            {
                info.Set("length", new BInteger(files[0].Length));
            }
        }

        var torrent = new BDictionary();
        torrent.Set("info", info);
        var tiers = NormalizeTrackers(options.Trackers);
        if (tiers.Count > 0)
        {
            torrent.Set("announce", new BString(tiers[0][0]));
            if (tiers.Count > 1 || tiers[0].Count > 1)
            {
                torrent.Set("announce-list", new BList(tiers.Select(t => new BList(t.Select(u => new BString(u))))));
            }
        }

        var seeds = options.WebSeeds.Select(u => u.Trim()).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (seeds.Count == 1)
        {
            torrent.Set("url-list", new BString(seeds[0]));
        }
        else if (seeds.Count > 1)
        {
            torrent.Set("url-list", new BList(seeds.Select(u => new BString(u))));
        }

        if (!string.IsNullOrEmpty(options.Comment))
        {
            torrent.Set("comment", new BString(options.Comment));
        }

        if (!string.IsNullOrEmpty(options.CreatedBy))
        {
            torrent.Set("created by", new BString(options.CreatedBy));
        }

        if (options.CreationDate is { } date)
        {
            torrent.Set("creation date", new BInteger(date.ToUnixTimeSeconds()));
        }

        if (v2)
        {
            // libtorrent writes the key even when no file is longer than a piece.
            torrent.Set("piece layers", layers);
        }

        return BencodeWriter.Encode(torrent);
    }

    // The same clean-up the parser applies, so ToBytes() of the result gives these bytes back.
    private static List<List<string>> NormalizeTrackers(IReadOnlyList<IReadOnlyList<string>> trackers)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return trackers
            .Select(tier => tier.Select(u => u.Trim()).Where(u => u.Length > 0 && seen.Add(u)).ToList())
            .Where(tier => tier.Count > 0)
            .ToList();
    }

    private static string LibraryVersion()
    {
        var assembly = typeof(TorrentCreator).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3)
            ?? "0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
