using GodotTorrent.Bencoding;

namespace GodotTorrent.Metainfo;

/// <summary>
/// Validates a decoded torrent and builds <see cref="MetainfoParts"/>: BEP 3 (v1 files and
/// pieces), BEP 12 (tiers), BEP 19 (web seeds), BEP 27 (private), BEP 47 (attributes) and
/// BEP 52 (file tree, piece layers).
/// </summary>
internal static class MetainfoParser
{
    private const int Sha1Length = 20;

    private static readonly byte[][] InfoKey = ["info"u8.ToArray()];
    private static readonly byte[][] FilesKey = ["files"u8.ToArray()];
    private static readonly byte[][] FileTreeKey = ["file tree"u8.ToArray()];

    public static MetainfoParts ParseTorrent(ReadOnlySpan<byte> data, TorrentParseOptions options)
    {
        if (data.Length > options.MaxTorrentSize)
        {
            throw new TorrentFormatException(ErrorCode.InputTooLarge, $"The torrent is larger than {options.MaxTorrentSize} bytes.");
        }

        // Decoded strings slice one copy of the input, instead of a copy each. When the info
        // dictionary is most of the file, that copy is the info dictionary's own bytes, which the
        // torrent keeps anyway, and the few strings outside it are copied one by one.
        var fileList = new V1FileList(options);
        var fileTree = new V2FileTree(options);
        var files = new BencodeListSink([.. InfoKey, .. FilesKey], fileList.Add, fileList.TryRead);
        var tree = new BencodeDictionarySink([.. InfoKey, .. FileTreeKey], fileTree.Add, fileTree.TryRead);
        var limits = Limits(options);
        byte[]? infoCopy = null;
        BValue decoded;
        if (BencodeReader.TryFindTopLevelValue(data, "info"u8, out int infoStart, out int infoLength) && infoLength >= data.Length - (data.Length / 4))
        {
            infoCopy = data.Slice(infoStart, infoLength).ToArray();
            decoded = BencodeReader.DecodeSliced(data, infoCopy, infoStart, limits, files, tree);
        }
        else
        {
            decoded = BencodeReader.DecodeSliced(data.ToArray(), limits, files, tree);
        }

        var root = decoded as BDictionary
            ?? throw new TorrentFormatException(ErrorCode.InvalidField, "A torrent file is a bencoded dictionary.", 0);
        if (!root.TryGetValue("info", out var infoValue))
        {
            throw new TorrentFormatException(ErrorCode.MissingField, "The torrent has no info dictionary.");
        }

        var info = infoValue as BDictionary
            ?? throw new TorrentFormatException(ErrorCode.InvalidField, "The info field is not a dictionary.", infoValue.SourceOffset);
        var infoBytes = infoCopy is not null && info.SourceOffset == infoStart && info.SourceLength == infoCopy.Length
            ? infoCopy
            : data.Slice(info.SourceOffset, info.SourceLength).ToArray();
        var parts = ParseInfo(info, infoBytes, fileList, fileTree, root.Get<BDictionary>("piece layers"), layersExpected: true, options);

        parts.Trackers = ParseTrackers(root);
        parts.WebSeeds = ParseWebSeeds(root);
        parts.Comment = Text(root, "comment.utf-8") ?? Text(root, "comment");
        parts.CreatedBy = Text(root, "created by");
        if (root.Get<BInteger>("creation date") is { } date && date.Value is >= -62135596800 and <= 253402300799)
        {
            parts.CreationDate = DateTimeOffset.FromUnixTimeSeconds(date.Value);
        }

        return parts;
    }

    public static MetainfoParts ParseInfoOnly(ReadOnlySpan<byte> infoBytes, TorrentParseOptions options)
    {
        if (infoBytes.Length > options.MaxTorrentSize)
        {
            throw new TorrentFormatException(ErrorCode.InputTooLarge, $"The torrent is larger than {options.MaxTorrentSize} bytes.");
        }

        var copy = infoBytes.ToArray();
        var fileList = new V1FileList(options);
        var fileTree = new V2FileTree(options);
        var info = BencodeReader.DecodeSliced(copy, Limits(options), new BencodeListSink([.. FilesKey], fileList.Add, fileList.TryRead), new BencodeDictionarySink([.. FileTreeKey], fileTree.Add, fileTree.TryRead)) as BDictionary
            ?? throw new TorrentFormatException(ErrorCode.InvalidField, "An info dictionary is a bencoded dictionary.", 0);
        return ParseInfo(info, copy, fileList, fileTree, null, layersExpected: false, options);
    }

    // The decoded strings slice a copy of the input: whatever outlives the parse is copied out of them.
    private static BencodeLimits Limits(TorrentParseOptions options) =>
        BencodeLimits.Default with { MaxDepth = options.MaxDepth, MaxInputLength = options.MaxTorrentSize };

    private static MetainfoParts ParseInfo(BDictionary info, byte[] infoBytes, V1FileList fileList, V2FileTree fileTree, BDictionary? pieceLayers, bool layersExpected, TorrentParseOptions options)
    {
        bool hasV2 = false;
        if (info.TryGetValue("meta version", out var metaVersion))
        {
            if (metaVersion is not BInteger { Value: 2 })
            {
                throw new TorrentFormatException(ErrorCode.UnsupportedMetaVersion, "Only meta version 2 is understood.", metaVersion.SourceOffset);
            }

            hasV2 = true;
        }

        bool hasV1 = info.ContainsKey("pieces");
        if (!hasV1 && !hasV2)
        {
            throw new TorrentFormatException(ErrorCode.MissingField, "The info dictionary has neither pieces (v1) nor a meta version 2 file tree.");
        }

        var hashes = new InfoHashes(hasV1 ? InfoHash.ComputeV1(infoBytes) : null, hasV2 ? InfoHash.ComputeV2(infoBytes) : null);

        int pieceLength = ParsePieceLength(info, hasV2, options);
        var originalName = Text(info, "name.utf-8") ?? Text(info, "name")
            ?? throw new TorrentFormatException(ErrorCode.MissingField, "The info dictionary has no name.");
        var name = PathSanitizer.SanitizeComponent(originalName) ?? hashes.Primary.ToHex();

        bool v1Multi = false, v2Multi = false;
        RawFileList? v1Files = hasV1 ? ParseV1Files(info, fileList, options, out v1Multi) : null;
        RawFileList? v2Files = hasV2 ? ParseV2Files(info, fileTree, options, out v2Multi) : null;
        bool multi = hasV1 ? v1Multi : v2Multi;
        if (v2Files is not null && !multi)
        {
            v2Files[0] = v2Files[0] with { Components = null };
        }

        RawFileList files;
        if (v1Files is not null)
        {
            files = v1Files;
            if (v2Files is not null)
            {
                MatchHybrid(v1Files, v2Files, pieceLength);
            }
        }
        else
        {
            files = v2Files!;
            AlignV2(files, pieceLength);
        }

        long spaceSize = files.Count == 0 ? 0 : files.Max(f => f.Offset + f.Length);
        if (files.All(f => f.IsPad || f.Length == 0))
        {
            throw new TorrentFormatException(ErrorCode.EmptyTorrent, "The torrent has no content.");
        }

        // Not (size + length - 1) / length: near 2^63 that sum wraps and a huge torrent would get no pieces.
        long pieceCount = spaceSize / pieceLength + (spaceSize % pieceLength == 0 ? 0 : 1);
        if (pieceCount > int.MaxValue / Sha1Length)
        {
            throw new TorrentFormatException(ErrorCode.InvalidPieces, "The torrent has too many pieces.");
        }

        byte[] pieceHashes = [];
        if (hasV1)
        {
            var pieces = info.Get<BString>("pieces")
                ?? throw new TorrentFormatException(ErrorCode.InvalidField, "The pieces field is not a byte string.");
            if (pieces.Bytes.Length != pieceCount * Sha1Length)
            {
                throw new TorrentFormatException(ErrorCode.InvalidPieces,
                    $"The torrent has {pieces.Bytes.Length / (double)Sha1Length} piece hashes for {pieceCount} pieces.", pieces.SourceOffset);
            }

            pieceHashes = pieces.Bytes.ToArray();
        }

        var entries = BuildEntries(files, multi, name, originalName, pieceLength, (int)pieceCount);
        var layers = hasV2 ? MatchPieceLayers(entries, pieceLayers, pieceLength, layersExpected) : new Dictionary<int, byte[]>();

        return new MetainfoParts
        {
            InfoBytes = infoBytes,
            InfoHashes = hashes,
            Name = name,
            OriginalName = originalName,
            Files = entries,
            IsMultiFile = multi,
            PieceLength = pieceLength,
            PieceCount = (int)pieceCount,
            PieceSpaceSize = spaceSize,
            Version = (hasV1 ? TorrentVersion.V1 : 0) | (hasV2 ? TorrentVersion.V2 : 0),
            PieceHashes = pieceHashes,
            PieceLayers = layers,
            HasPieceLayers = hasV2 && pieceLayers is not null,
            IsPrivate = info.Get<BInteger>("private") is { Value: 1 },
            Source = Text(info, "source"),
        };
    }

    private static int ParsePieceLength(BDictionary info, bool hasV2, TorrentParseOptions options)
    {
        var value = info.Get<BInteger>("piece length")
            ?? throw new TorrentFormatException(ErrorCode.MissingField, "The info dictionary has no piece length.");
        long length = value.Value;
        if (length <= 0 || length > options.MaxPieceLength)
        {
            throw new TorrentFormatException(ErrorCode.InvalidPieceLength, $"Piece length {length} is out of range.", value.SourceOffset);
        }

        // BEP 52: v2 pieces are whole subtrees of 16 KiB leaves.
        if (hasV2 && (length < MerkleTree.BlockSize || (length & (length - 1)) != 0))
        {
            throw new TorrentFormatException(ErrorCode.InvalidPieceLength, $"A v2 piece length must be a power of two of at least 16 KiB, not {length}.", value.SourceOffset);
        }

        return (int)length;
    }

    // The decoder gave the entries of the files list to fileList as it read them (the list is empty).
    private static RawFileList ParseV1Files(BDictionary info, V1FileList fileList, TorrentParseOptions options, out bool multi)
    {
        if (info.TryGetValue("files", out var filesValue))
        {
            if (info.ContainsKey("length"))
            {
                throw new TorrentFormatException(ErrorCode.InvalidField, "The info dictionary has both length and files.");
            }

            var list = filesValue as BList
                ?? throw new TorrentFormatException(ErrorCode.InvalidField, "The files field is not a list.", filesValue.SourceOffset);
            if (fileList.Count > options.MaxFiles)
            {
                throw new TorrentFormatException(ErrorCode.TooManyFiles, $"The torrent has more than {options.MaxFiles} files.", list.SourceOffset);
            }

            multi = true;
            return fileList.Take();
        }

        multi = false;
        return [new RawFile(null, ParseLength(info), 0, ParseAttributes(info), SymlinkTarget(info, options), default)];
    }

    // The decoder gave the top-level entries of the file tree to fileTree as it read them (the
    // tree keeps their keys only).
    private static RawFileList ParseV2Files(BDictionary info, V2FileTree fileTree, TorrentParseOptions options, out bool multi)
    {
        var tree = info.Get<BDictionary>("file tree")
            ?? throw new TorrentFormatException(ErrorCode.MissingField, "A meta version 2 torrent has no file tree.");
        if (options.MaxPathDepth < 0)
        {
            throw new TorrentFormatException(ErrorCode.InvalidPath, "A file tree path is too deep.", tree.SourceOffset);
        }

        var files = fileTree.Take();

        // A single file at the root of the tree is a single-file torrent (as libtorrent reads it),
        // unless the v1 part of a hybrid lists it in a folder: a folder holding one file.
        multi = !(files.Count == 1 && files[0].Components!.Length == 1 && tree.Count == 1);
        return files;
    }

    private static void WalkTree(BDictionary node, List<string> path, RawFileList files, TorrentParseOptions options)
    {
        if (path.Count > options.MaxPathDepth)
        {
            throw new TorrentFormatException(ErrorCode.InvalidPath, "A file tree path is too deep.", node.SourceOffset);
        }

        foreach (var (key, value) in node.EntrySpan)
        {
            ParseTreeEntry(key, value, node, path, files, options);
        }
    }

    /// <summary>
    /// One entry of a node of a v2 file tree (BEP 52) under <paramref name="path"/>: a file, or a
    /// folder walked in full. A top-level entry (empty path) needs no node: it cannot be a leaf.
    /// </summary>
    internal static void ParseTreeEntry(BString key, BValue value, BDictionary? node, List<string> path, RawFileList files, TorrentParseOptions options)
    {
        var child = value as BDictionary
            ?? throw new TorrentFormatException(ErrorCode.InvalidField, "A file tree node is not a dictionary.", value.SourceOffset);
        if (key.Bytes.Length == 0)
        {
            if (path.Count == 0 || node!.Count != 1)
            {
                throw new TorrentFormatException(ErrorCode.InvalidField, "A file tree leaf must be the only entry of a named node.", value.SourceOffset);
            }

            long length = ParseLength(child);
            ReadOnlyMemory<byte> root = default;
            if (length > 0)
            {
                var rootValue = child.Get<BString>("pieces root"u8);
                if (rootValue is null || rootValue.Bytes.Length != MerkleTree.HashSize)
                {
                    throw new TorrentFormatException(ErrorCode.InvalidField, "A non-empty v2 file needs a 32-byte pieces root.", child.SourceOffset);
                }

                root = rootValue.Bytes.ToArray();
            }

            if (files.Count >= options.MaxFiles)
            {
                throw new TorrentFormatException(ErrorCode.TooManyFiles, $"The torrent has more than {options.MaxFiles} files.", child.SourceOffset);
            }

            files.Add(new RawFile([.. path], length, 0, ParseAttributes(child), SymlinkTarget(child, options), root));
            return;
        }

        path.Add(key.Text);
        WalkTree(child, path, files, options);
        path.RemoveAt(path.Count - 1);
    }

    // v2 files each start on a piece boundary (BEP 52); a v2-only torrent has no pad files, so the gaps are implied.
    private static void AlignV2(RawFileList files, int pieceLength)
    {
        long offset = 0;
        for (int i = 0; i < files.Count; i++)
        {
            files[i] = files[i] with { Offset = offset };
            offset = AddLength(offset, RoundUp(files[i].Length, pieceLength));
        }
    }

    private static void MatchHybrid(RawFileList v1Files, RawFileList v2Files, int pieceLength)
    {
        var real = v1Files.Where(f => !f.IsPad).ToList();
        if (real.Count != v2Files.Count)
        {
            throw new TorrentFormatException(ErrorCode.HybridMismatch, $"The v1 part has {real.Count} files and the v2 part {v2Files.Count}.");
        }

        int r = 0;
        for (int i = 0; i < v1Files.Count; i++)
        {
            var v1 = v1Files[i];
            if (v1.IsPad)
            {
                continue;
            }

            var v2 = v2Files[r++];
            bool samePath = v1.Components is null ? v2.Components is null : v2.Components is not null && v1.Components.AsSpan().SequenceEqual(v2.Components);
            if (!samePath || v1.Length != v2.Length)
            {
                throw new TorrentFormatException(ErrorCode.HybridMismatch, $"File {i} differs between the v1 and v2 parts.");
            }

            if (v1.Length > 0 && v1.Offset % pieceLength != 0)
            {
                throw new TorrentFormatException(ErrorCode.HybridMismatch, $"File {i} is not aligned to a piece boundary in the v1 part.");
            }

            v1Files[i] = v1 with { PiecesRoot = v2.PiecesRoot, Attributes = v1.Attributes | v2.Attributes };
        }
    }

    private static List<FileEntry> BuildEntries(RawFileList files, bool multi, string name, string originalName, int pieceLength, int pieceCount)
    {
        var entries = new List<FileEntry>(files.Count);
        var unique = new UniquePaths();
        string[]? previous = null;
        string? previousOriginal = null;
        for (int i = 0; i < files.Count; i++)
        {
            var file = files[i];
            string path, original;
            if (file.Components is null)
            {
                (path, original) = (name, originalName);
            }
            else
            {
                bool unchanged = false;
                if (file.IsPad)
                {
                    path = name + "/" + (PathSanitizer.SanitizePath(file.Components) ?? "_");
                }
                else
                {
                    var sanitized = SanitizedComponents(file.Components);
                    path = unique.Add(name, sanitized, out bool renamed);
                    unchanged = !renamed && ReferenceEquals(sanitized, file.Components) && ReferenceEquals(name, originalName);
                }

                // Most paths are as the torrent spells them: one string serves both. A hostile
                // torrent repeating one path gets one original string for all its files.
                original = unchanged ? path
                    : previous is not null && SameStrings(previous, file.Components) ? previousOriginal!
                    : file.Components.Length == 1 ? string.Concat(originalName, "/", file.Components[0])
                    : originalName + "/" + string.Join('/', file.Components);
                (previous, previousOriginal) = (file.Components, original);
            }

            int first = (int)Math.Min(file.Offset / pieceLength, pieceCount);
            int last = file.Length == 0 ? first - 1 : (int)((file.Offset + file.Length - 1) / pieceLength);
            entries.Add(new FileEntry
            {
                Index = i,
                Path = path,
                OriginalPath = original,
                Length = file.Length,
                Offset = file.Offset,
                Attributes = file.Attributes,
                SymlinkTarget = file.Symlink,
                PiecesRoot = file.PiecesRoot,
                FirstPiece = first,
                LastPiece = last,
            });
        }

        return entries;
    }

    // Component strings are shared (ComponentNames), so a repeated path has the same ones.
    private static bool SameStrings(string[] a, string[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (!ReferenceEquals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    // Dropped components (".", "..", empty) leave nothing for a path of only those: it becomes "_".
    // Most paths need no change: then the components themselves are returned, not a copy.
    private static string[] SanitizedComponents(string[] components)
    {
        List<string>? sanitized = null;
        for (int i = 0; i < components.Length; i++)
        {
            var part = PathSanitizer.SanitizeComponent(components[i]);
            if (sanitized is null && ReferenceEquals(part, components[i]))
            {
                continue;
            }

            sanitized ??= new List<string>(components.AsSpan(0, i).ToArray());
            if (part is not null)
            {
                sanitized.Add(part);
            }
        }

        return sanitized is null ? components : sanitized.Count == 0 ? ["_"] : [.. sanitized];
    }

    private static Dictionary<int, byte[]> MatchPieceLayers(List<FileEntry> files, BDictionary? pieceLayers, int pieceLength, bool layersExpected)
    {
        // Sized once: grown by doubling, a table of 100,000 layers leaves a chain of large arrays behind.
        int longFiles = 0;
        foreach (var file in files)
        {
            longFiles += file.IsPad || file.Length <= pieceLength ? 0 : 1;
        }

        var layers = new Dictionary<int, byte[]>(pieceLayers is null ? 0 : Math.Min(longFiles, pieceLayers.Count));

        // Indexed once: looking each root up in the dictionary itself would scan it per file.
        // By the keys' bytes (BString compares bytes), not hex strings: two 64-character strings per file saved.
        // Keyed by the bytes' memory, so a file's root is looked up as it is, with no key object per file.
        var byRoot = new Dictionary<ReadOnlyMemory<byte>, BValue>(pieceLayers?.Count ?? 0, ByteMemoryComparer.Instance);
        foreach (var (key, value) in pieceLayers is null ? default : pieceLayers.EntrySpan)
        {
            byRoot.TryAdd(key.Bytes, value);
        }

        foreach (var file in files)
        {
            if (file.IsPad || file.Length <= pieceLength)
            {
                continue;
            }

            if (!byRoot.TryGetValue(file.PiecesRoot, out var layerValue))
            {
                if (layersExpected)
                {
                    throw new TorrentFormatException(ErrorCode.MissingField, $"The piece layer of file {file.Index} is missing.");
                }

                continue;
            }

            var layer = layerValue as BString
                ?? throw new TorrentFormatException(ErrorCode.InvalidField, "A piece layer is not a byte string.", layerValue.SourceOffset);
            long expected = (file.Length + pieceLength - 1) / pieceLength * MerkleTree.HashSize;
            if (layer.Bytes.Length != expected)
            {
                throw new TorrentFormatException(ErrorCode.InvalidPieces, $"The piece layer of file {file.Index} has {layer.Bytes.Length} bytes, not {expected}.", layer.SourceOffset);
            }

            if (!MerkleTree.PieceLayerMatchesRoot(layer.Span, pieceLength, file.PiecesRoot.Span))
            {
                throw new TorrentFormatException(ErrorCode.PieceLayerMismatch, $"The piece layer of file {file.Index} does not hash to its pieces root.", layer.SourceOffset);
            }

            layers[file.Index] = layer.Bytes.ToArray();
        }

        return layers;
    }

    /// <summary>One entry of a v1 files list (BEP 3), starting at <paramref name="offset"/>, which it advances.</summary>
    internal static RawFile ParseV1Entry(BValue item, TorrentParseOptions options, ComponentNames names, ref long offset)
    {
        var entry = item as BDictionary
            ?? throw new TorrentFormatException(ErrorCode.InvalidField, "A file entry is not a dictionary.", item.SourceOffset);
        long length = ParseLength(entry);
        var path = entry.Get<BList>("path.utf-8"u8) ?? entry.Get<BList>("path"u8)
            ?? throw new TorrentFormatException(ErrorCode.MissingField, "A file entry has no path.", entry.SourceOffset);
        var components = ParsePathList(path, options, names);
        var attributes = ParseAttributes(entry);
        if (components.Length == 0 && (attributes & TorrentFileAttributes.Pad) == 0)
        {
            throw new TorrentFormatException(ErrorCode.InvalidPath, "A file entry has an empty path.", path.SourceOffset);
        }

        var file = new RawFile(components, length, offset, attributes, SymlinkTarget(entry, options), default);
        offset = AddLength(offset, length);
        return file;
    }

    private static long ParseLength(BDictionary entry)
    {
        var value = entry.Get<BInteger>("length"u8)
            ?? throw new TorrentFormatException(ErrorCode.MissingField, "A file has no length.", entry.SourceOffset);
        if (value.Value < 0)
        {
            throw new TorrentFormatException(ErrorCode.InvalidField, "A file length is negative.", value.SourceOffset);
        }

        return value.Value;
    }

    private static string[] ParsePathList(BList path, TorrentParseOptions options, ComponentNames? names = null)
    {
        if (path.Count > options.MaxPathDepth)
        {
            throw new TorrentFormatException(ErrorCode.InvalidPath, "A file path has too many components.", path.SourceOffset);
        }

        var components = new string[path.Count];
        for (int i = 0; i < components.Length; i++)
        {
            var component = path[i];
            var text = component as BString
                ?? throw new TorrentFormatException(ErrorCode.InvalidPath, "A path component is not a string.", component.SourceOffset);
            components[i] = names is null ? text.Text : names.Get(text);
        }

        return components;
    }

    // BEP 47: each character of attr is one flag; unknown ones are ignored.
    private static TorrentFileAttributes ParseAttributes(BDictionary entry)
    {
        var attr = entry.Get<BString>("attr"u8);
        if (attr is null)
        {
            return TorrentFileAttributes.None;
        }

        var flags = TorrentFileAttributes.None;
        foreach (byte b in attr.Span)
        {
            flags |= b switch
            {
                (byte)'p' => TorrentFileAttributes.Pad,
                (byte)'x' => TorrentFileAttributes.Executable,
                (byte)'h' => TorrentFileAttributes.Hidden,
                (byte)'l' => TorrentFileAttributes.Symlink,
                _ => TorrentFileAttributes.None,
            };
        }

        return flags;
    }

    private static string? SymlinkTarget(BDictionary entry, TorrentParseOptions options)
    {
        var list = entry.Get<BList>("symlink path"u8);
        return list is null ? null : PathSanitizer.SanitizePath(ParsePathList(list, options));
    }

    private static List<IReadOnlyList<string>> ParseTrackers(BDictionary root)
    {
        var tiers = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (root.Get<BList>("announce-list") is { } announceList)
        {
            foreach (var tierValue in announceList)
            {
                if (tierValue is not BList tierList)
                {
                    continue;
                }

                var tier = tierList.OfType<BString>().Select(s => s.Text.Trim()).Where(u => u.Length > 0 && seen.Add(u)).ToList();
                if (tier.Count > 0)
                {
                    tiers.Add(tier);
                }
            }
        }

        // BEP 12: announce-list, when present, replaces announce.
        if (tiers.Count == 0 && Text(root, "announce")?.Trim() is { Length: > 0 } announce)
        {
            tiers.Add([announce]);
        }

        return tiers;
    }

    private static List<string> ParseWebSeeds(BDictionary root)
    {
        if (!root.TryGetValue("url-list", out var value))
        {
            return [];
        }

        IEnumerable<BString> urls = value switch
        {
            BString single => [single],
            BList list => list.OfType<BString>(),
            _ => [],
        };
        return urls.Select(u => u.Text.Trim()).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string? Text(BDictionary dictionary, string key) => dictionary.Get<BString>(key)?.Text;

    private static long RoundUp(long value, int multiple) =>
        value % multiple == 0 ? value : AddLength(value - (value % multiple), multiple);

    // File offsets are sums of lengths a stranger chose: past 2^63 - 1 the torrent is malformed.
    internal static long AddLength(long offset, long length) =>
        length <= long.MaxValue - offset ? offset + length
            : throw new TorrentFormatException(ErrorCode.InvalidField, "The files' lengths add up to more than 2^63 - 1 bytes.");

}
