using System.Text;
using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>
/// Encodes and decodes <see cref="ResumeData"/> as one bencoded dictionary (format version 1).
/// Keys, in the canonical (sorted) order the writer emits:
/// <list type="table">
/// <listheader><term>key</term><description>value</description></listheader>
/// <item><term>added-time</term><description>int: Unix seconds</description></item>
/// <item><term>completed-time</term><description>int: Unix seconds (absent when not finished)</description></item>
/// <item><term>downloaded</term><description>int: total bytes downloaded</description></item>
/// <item><term>file-priority</term><description>list of int 0..7, one per file (absent: all normal)</description></item>
/// <item><term>files</term><description>list of dicts {exists: 0|1, size: int, mtime: int 100-ns ticks since the Unix epoch (absent when unknown)}, one per file</description></item>
/// <item><term>info</term><description>the raw info dictionary (optional; its hashes must match info-hash/info-hash2)</description></item>
/// <item><term>info-hash</term><description>20-byte SHA-1 info-hash (v1 and hybrid)</description></item>
/// <item><term>info-hash2</term><description>32-byte SHA-256 info-hash (v2 and hybrid)</description></item>
/// <item><term>num-pieces</term><description>int: number of pieces</description></item>
/// <item><term>partial</term><description>list of dicts {piece: int, blocks: int (count), have: bitfield of 16 KiB blocks}</description></item>
/// <item><term>piece layers</term><description>BEP 52 piece layers, as in a .torrent (only with info)</description></item>
/// <item><term>piece-priority</term><description>string: one byte 0..7 per piece (absent: all normal)</description></item>
/// <item><term>pieces</term><description>string: the have-bitfield in BEP 3 wire order</description></item>
/// <item><term>renamed</term><description>list of dicts {index: int, path: string}</description></item>
/// <item><term>save-path</term><description>string (UTF-8)</description></item>
/// <item><term>seed-goal-reached</term><description>int: 1 when a seeding goal stopped the torrent (absent: 0)</description></item>
/// <item><term>seed-time-limit</term><description>int: the torrent's own seed time limit in seconds, negative for none (absent: the session's)</description></item>
/// <item><term>seeding-time</term><description>int: seconds spent seeding over the torrent's life</description></item>
/// <item><term>share-ratio-limit</term><description>int: the torrent's own share ratio limit in percent, negative for none (absent: the session's)</description></item>
/// <item><term>trackers</term><description>list of tiers, each a list of URL strings (added at run time)</description></item>
/// <item><term>uploaded</term><description>int: total bytes uploaded</description></item>
/// <item><term>url-list</term><description>list of web seed URL strings (added at run time)</description></item>
/// <item><term>version</term><description>int: 1</description></item>
/// </list>
/// </summary>
public static class ResumeDataSerializer
{
    private const int BlockSize = Wire.PeerWireLimits.DefaultBlockLength;

    // Seconds a TimeSpan holds.
    private const long MaxSeconds = long.MaxValue / TimeSpan.TicksPerSecond;

    // Resume data is small; these bounds stop a corrupt length or count from allocating wildly.
    private static readonly BencodeLimits Limits = new()
    {
        MaxDepth = 16,
        MaxInputLength = 128 * 1024 * 1024,
        MaxStringLength = 64 * 1024 * 1024,
        MaxElements = 4_000_000,
    };

    /// <summary>Encodes <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data is inconsistent (counts that disagree with each other).</exception>
    public static byte[] Encode(ResumeData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var root = new BDictionary();
        root.Set("version", new BInteger(ResumeData.CurrentVersion));
        if (data.InfoHashes.V1 is { } v1)
        {
            root.Set("info-hash", new BString(v1.ToArray()));
        }

        if (data.InfoHashes.V2 is { } v2)
        {
            root.Set("info-hash2", new BString(v2.ToArray()));
        }

        root.Set("save-path", new BString(data.SavePath));
        root.Set("num-pieces", new BInteger(data.Pieces.Count));
        root.Set("pieces", new BString(data.Pieces.ToBytes()));

        var partial = new BList();
        foreach (var (piece, blocks) in data.PartialPieces.OrderBy(p => p.Key))
        {
            var entry = new BDictionary();
            entry.Set("piece", new BInteger(piece));
            entry.Set("blocks", new BInteger(blocks.Count));
            entry.Set("have", new BString(blocks.ToBytes()));
            partial.Add(entry);
        }

        root.Set("partial", partial);
        if (data.FilePriorities.Count > 0)
        {
            root.Set("file-priority", new BList(data.FilePriorities.Select(p => (BValue)new BInteger((int)p))));
        }

        if (data.PiecePriorities.Count > 0)
        {
            root.Set("piece-priority", new BString(data.PiecePriorities.Select(p => (byte)p).ToArray()));
        }

        var renamed = new BList();
        foreach (var (index, path) in data.RenamedFiles.OrderBy(r => r.Key))
        {
            var entry = new BDictionary();
            entry.Set("index", new BInteger(index));
            entry.Set("path", new BString(path));
            renamed.Add(entry);
        }

        root.Set("renamed", renamed);
        var files = new BList();
        foreach (var file in data.Files)
        {
            var entry = new BDictionary();
            entry.Set("exists", new BInteger(file.Exists ? 1 : 0));
            entry.Set("size", new BInteger(file.Length));
            if (file.LastWriteTimeUtc is { } mtime)
            {
                entry.Set("mtime", new BInteger(mtime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks));
            }

            files.Add(entry);
        }

        root.Set("files", files);
        root.Set("uploaded", new BInteger(data.TotalUploaded));
        root.Set("downloaded", new BInteger(data.TotalDownloaded));
        root.Set("trackers", new BList(data.Trackers.Select(tier => (BValue)new BList(tier.Select(url => (BValue)new BString(url))))));
        root.Set("url-list", new BList(data.WebSeeds.Select(url => (BValue)new BString(url))));
        root.Set("added-time", new BInteger(data.AddedTime.ToUnixTimeSeconds()));
        root.Set("seeding-time", new BInteger((long)data.SeedingTime.TotalSeconds));
        if (data.ShareRatioLimit is { } ratioLimit)
        {
            root.Set("share-ratio-limit", new BInteger(ratioLimit));
        }

        if (data.SeedTimeLimit is { } timeLimit)
        {
            root.Set("seed-time-limit", new BInteger(timeLimit < TimeSpan.Zero ? -1 : (long)timeLimit.TotalSeconds));
        }

        if (data.SeedGoalReached)
        {
            root.Set("seed-goal-reached", new BInteger(1));
        }
        if (data.CompletedTime is { } completed)
        {
            root.Set("completed-time", new BInteger(completed.ToUnixTimeSeconds()));
        }

        if (data.Torrent is { } torrent)
        {
            if (!torrent.InfoHashes.Equals(data.InfoHashes))
            {
                throw new ArgumentException("The torrent's info-hashes differ from the resume data's.", nameof(data));
            }

            root.Set("info", new BRaw(torrent.InfoBytes));
            // Layers fetched from peers (BEP 52) are kept even before all are known, so a restart asks only for the rest.
            if (torrent.HasV2 && (torrent.HasPieceLayers || torrent.Files.Any(f => !torrent.GetPieceLayer(f.Index).IsEmpty)))
            {
                var layers = new BDictionary();
                foreach (var file in torrent.Files)
                {
                    var layer = torrent.GetPieceLayer(file.Index);
                    if (!layer.IsEmpty)
                    {
                        layers.Set(new BString(file.PiecesRoot), new BString(layer.ToArray()));
                    }
                }

                root.Set("piece layers", layers);
            }
        }

        return BencodeWriter.Encode(root);
    }

    /// <summary>Decodes resume data, checking every field's type, range and consistency.</summary>
    /// <exception cref="TorrentFormatException">The data is truncated, corrupt, of an unknown version or inconsistent; never any other exception.</exception>
    public static ResumeData Decode(ReadOnlySpan<byte> bytes)
    {
        var value = BencodeReader.Decode(bytes, Limits);
        var root = value as BDictionary ?? throw Invalid("Resume data is not a dictionary.", value);
        long version = Integer(root, "version", 0, int.MaxValue);
        if (version != ResumeData.CurrentVersion)
        {
            throw new TorrentFormatException(ErrorCode.UnsupportedMetaVersion, $"Resume data version {version} is not supported.");
        }

        InfoHash? v1 = OptionalHash(root, "info-hash", InfoHash.V1Length);
        InfoHash? v2 = OptionalHash(root, "info-hash2", InfoHash.V2Length);
        if (v1 is null && v2 is null)
        {
            throw new TorrentFormatException(ErrorCode.MissingField, "Resume data names no info-hash.");
        }

        var hashes = new InfoHashes(v1, v2);
        int pieceCount = (int)Integer(root, "num-pieces", 1, int.MaxValue);
        var pieces = ParseBitfield(String(root, "pieces"), pieceCount, "pieces");

        var partial = new Dictionary<int, Bitfield>();
        foreach (var item in List(root, "partial", optional: true))
        {
            var entry = item as BDictionary ?? throw Invalid("A partial piece is not a dictionary.", item);
            int piece = (int)Integer(entry, "piece", 0, pieceCount - 1);
            int blocks = (int)Integer(entry, "blocks", 1, int.MaxValue / 8);
            if (pieces[piece] || !partial.TryAdd(piece, ParseBitfield(String(entry, "have"), blocks, "partial")))
            {
                throw Invalid($"Partial piece {piece} is listed twice or is already complete.", entry);
            }
        }

        var filePriorities = List(root, "file-priority", optional: true).Select(v => (Priority)Integer(v, 0, 7)).ToArray();
        var piecePriorityBytes = root.TryGetValue("piece-priority", out var pp) ? (pp as BString ?? throw Invalid("piece-priority is not a string.", pp)).Span : default;
        if (!piecePriorityBytes.IsEmpty && piecePriorityBytes.Length != pieceCount)
        {
            throw Invalid($"piece-priority has {piecePriorityBytes.Length} entries for {pieceCount} pieces.", pp);
        }

        var piecePriorities = new Priority[piecePriorityBytes.Length];
        for (int i = 0; i < piecePriorities.Length; i++)
        {
            piecePriorities[i] = piecePriorityBytes[i] <= 7 ? (Priority)piecePriorityBytes[i] : throw Invalid($"Piece priority {piecePriorityBytes[i]} is not 0..7.", pp);
        }

        var files = new List<StorageFileState>();
        foreach (var item in List(root, "files", optional: true))
        {
            var entry = item as BDictionary ?? throw Invalid("A file entry is not a dictionary.", item);
            bool exists = Integer(entry, "exists", 0, 1) == 1;
            long size = Integer(entry, "size", 0, long.MaxValue);
            DateTimeOffset? mtime = null;
            if (entry.ContainsKey("mtime"))
            {
                long ticks = Integer(entry, "mtime", long.MinValue, long.MaxValue);
                long max = DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
                long min = DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
                mtime = ticks >= min && ticks <= max ? new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + ticks, TimeSpan.Zero) : throw Invalid("A file time is out of range.", entry);
            }

            files.Add(new StorageFileState(exists, size, mtime));
        }

        if (filePriorities.Length > 0 && files.Count > 0 && filePriorities.Length != files.Count)
        {
            throw Invalid($"file-priority has {filePriorities.Length} entries for {files.Count} files.", root);
        }

        var renamed = new Dictionary<int, string>();
        foreach (var item in List(root, "renamed", optional: true))
        {
            var entry = item as BDictionary ?? throw Invalid("A rename is not a dictionary.", item);
            int index = (int)Integer(entry, "index", 0, int.MaxValue);
            if ((files.Count > 0 && index >= files.Count) || !renamed.TryAdd(index, Text(entry, "path")))
            {
                throw Invalid($"Rename of file {index} is out of range or repeated.", entry);
            }
        }

        var trackers = List(root, "trackers", optional: true)
            .Select(tier => (IReadOnlyList<string>)(tier as BList ?? throw Invalid("A tracker tier is not a list.", tier)).Select(url => Text(url)).ToArray())
            .ToArray();
        var webSeeds = List(root, "url-list", optional: true).Select(url => Text(url)).ToArray();

        TorrentInfo? torrent = null;
        if (root.TryGetValue("info", out var info))
        {
            torrent = ParseTorrent(bytes, root, info);
            if (!torrent.InfoHashes.Equals(hashes))
            {
                throw new TorrentFormatException(ErrorCode.InvalidField, "The embedded info dictionary does not hash to the resume data's info-hash.", info.SourceOffset);
            }

            if (torrent.PieceCount != pieceCount)
            {
                throw Invalid($"The embedded torrent has {torrent.PieceCount} pieces, the resume data {pieceCount}.", info);
            }
        }

        return new ResumeData
        {
            InfoHashes = hashes,
            SavePath = Text(root, "save-path"),
            Pieces = pieces,
            PartialPieces = partial,
            FilePriorities = filePriorities,
            PiecePriorities = piecePriorities,
            RenamedFiles = renamed,
            Files = files,
            TotalUploaded = Integer(root, "uploaded", 0, long.MaxValue, optional: true),
            TotalDownloaded = Integer(root, "downloaded", 0, long.MaxValue, optional: true),
            Trackers = trackers,
            WebSeeds = webSeeds,
            AddedTime = Time(root, "added-time") ?? DateTimeOffset.UnixEpoch,
            CompletedTime = Time(root, "completed-time"),
            SeedingTime = TimeSpan.FromSeconds(Integer(root, "seeding-time", 0, MaxSeconds, optional: true)),
            ShareRatioLimit = root.ContainsKey("share-ratio-limit") ? (int)Integer(root, "share-ratio-limit", int.MinValue, int.MaxValue) : null,
            SeedTimeLimit = root.ContainsKey("seed-time-limit") ? TimeSpan.FromSeconds(Math.Max(-1, Integer(root, "seed-time-limit", long.MinValue, MaxSeconds))) : null,
            SeedGoalReached = Integer(root, "seed-goal-reached", 0, 1, optional: true) == 1,
            Torrent = torrent,
        };
    }

    /// <summary>Block count of a piece of <paramref name="pieceSize"/> bytes, as <see cref="ResumeData.PartialPieces"/> uses.</summary>
    internal static int BlockCount(int pieceSize) => (pieceSize + BlockSize - 1) / BlockSize;

    private static TorrentInfo ParseTorrent(ReadOnlySpan<byte> bytes, BDictionary root, BValue info)
    {
        if (info is not BDictionary)
        {
            throw Invalid("info is not a dictionary.", info);
        }

        var infoBytes = bytes.Slice(info.SourceOffset, info.SourceLength);
        if (!root.TryGetValue("piece layers", out var layers))
        {
            return TorrentInfo.FromInfoDictionary(infoBytes);
        }

        var torrent = new BDictionary();
        torrent.Set("info", new BRaw(infoBytes.ToArray()));
        torrent.Set("piece layers", new BRaw(bytes.Slice(layers.SourceOffset, layers.SourceLength).ToArray()));
        try
        {
            return TorrentInfo.Parse(BencodeWriter.Encode(torrent));
        }
        catch (TorrentFormatException e) when (e.ErrorCode == ErrorCode.MissingField && layers is BDictionary known)
        {
            // Some layers were still being fetched from peers when this was saved: keep the ones that match.
            var partial = TorrentInfo.FromInfoDictionary(infoBytes);
            var byRoot = partial.Files.Where(f => !f.PiecesRoot.IsEmpty).GroupBy(f => f.PiecesRoot, ByteMemoryComparer.Instance)
                .ToDictionary(g => g.Key, g => g.First(), ByteMemoryComparer.Instance);
            foreach (var (key, layer) in known.EntrySpan)
            {
                if (byRoot.TryGetValue(key.Bytes, out var file) && layer is BString bytesOfLayer && !partial.TryAddPieceLayer(file.Index, bytesOfLayer.Bytes.ToArray()))
                {
                    throw new TorrentFormatException(ErrorCode.PieceLayerMismatch, $"The piece layer of file {file.Index} does not hash to its pieces root.", layer.SourceOffset);
                }
            }

            return partial;
        }
    }

    private static Bitfield ParseBitfield(BString bytes, int count, string field)
    {
        try
        {
            return Bitfield.FromBytes(bytes.Span, count);
        }
        catch (FormatException ex)
        {
            throw new TorrentFormatException(ErrorCode.InvalidField, $"{field}: {ex.Message}", bytes.SourceOffset, ex);
        }
    }

    private static InfoHash? OptionalHash(BDictionary root, string key, int length)
    {
        if (!root.TryGetValue(key, out var value))
        {
            return null;
        }

        var text = value as BString;
        return text is not null && text.Bytes.Length == length ? new InfoHash(text.Span) : throw Invalid($"{key} is not a {length}-byte string.", value);
    }

    private static long Integer(BDictionary dictionary, string key, long min, long max, bool optional = false)
    {
        if (!dictionary.TryGetValue(key, out var value))
        {
            return optional ? 0 : throw new TorrentFormatException(ErrorCode.MissingField, $"Resume data has no {key}.", dictionary.SourceOffset);
        }

        return Integer(value, min, max, key);
    }

    private static long Integer(BValue value, long min, long max, string key = "value") =>
        value is BInteger integer && integer.Value >= min && integer.Value <= max
            ? integer.Value
            : throw Invalid($"{key} is not an integer in {min}..{max}.", value);

    private static BString String(BDictionary dictionary, string key) =>
        dictionary.TryGetValue(key, out var value)
            ? value as BString ?? throw Invalid($"{key} is not a string.", value)
            : throw new TorrentFormatException(ErrorCode.MissingField, $"Resume data has no {key}.", dictionary.SourceOffset);

    private static string Text(BDictionary dictionary, string key) => Text(String(dictionary, key));

    private static string Text(BValue value)
    {
        if (value is BString text && text.TryGetStrictText(out string result))
        {
            return result;
        }

        throw Invalid("A text field is not valid UTF-8.", value);
    }

    private static BList List(BDictionary dictionary, string key, bool optional)
    {
        if (!dictionary.TryGetValue(key, out var value))
        {
            return optional ? [] : throw new TorrentFormatException(ErrorCode.MissingField, $"Resume data has no {key}.", dictionary.SourceOffset);
        }

        return value as BList ?? throw Invalid($"{key} is not a list.", value);
    }

    private static DateTimeOffset? Time(BDictionary dictionary, string key)
    {
        if (!dictionary.ContainsKey(key))
        {
            return null;
        }

        // Unix seconds DateTimeOffset can represent (year 1 to 9999).
        return DateTimeOffset.FromUnixTimeSeconds(Integer(dictionary, key, -62135596800, 253402300799));
    }

    private static TorrentFormatException Invalid(string message, BValue? at) =>
        new(ErrorCode.InvalidField, message, at?.SourceOffset ?? -1);
}
