namespace GodotTorrent.Metainfo;

/// <summary>
/// The parsed metainfo of a torrent (BEP 3, 12, 19, 27, 47, 52): immutable (except that v2 piece
/// layers missing from metadata fetched from peers are added once fetched and verified), and usable
/// without a session. Parse it from a .torrent file with <see cref="Parse(ReadOnlySpan{byte}, TorrentParseOptions?)"/>
/// or <see cref="Load(string, TorrentParseOptions?)"/>.
/// </summary>
public sealed class TorrentInfo
{
    private readonly byte[] _infoBytes;
    private readonly byte[] _pieceHashes;
    private readonly IReadOnlyDictionary<int, byte[]> _pieceLayers;
    private readonly bool _parsedLayers;
    private readonly object _layerLock = new();
    private int _missingLayers;

    internal TorrentInfo(MetainfoParts parts)
    {
        _infoBytes = parts.InfoBytes;
        _pieceHashes = parts.PieceHashes;
        _parsedLayers = parts.HasPieceLayers;
        InfoHashes = parts.InfoHashes;
        Name = parts.Name;
        OriginalName = parts.OriginalName;
        Files = parts.Files;
        PieceLength = parts.PieceLength;
        PieceCount = parts.PieceCount;
        PieceSpaceSize = parts.PieceSpaceSize;
        TotalSize = parts.Files.Where(f => !f.IsPad).Sum(f => f.Length);
        Version = parts.Version;
        IsPrivate = parts.IsPrivate;
        Source = parts.Source;
        IsMultiFile = parts.IsMultiFile;
        Trackers = parts.Trackers;
        WebSeeds = parts.WebSeeds;
        Comment = parts.Comment;
        CreatedBy = parts.CreatedBy;
        CreationDate = parts.CreationDate;
        if (HasV2 && !parts.HasPieceLayers)
        {
            // Layers fetched from peers (BEP 52) are added while hashing threads read the table.
            _pieceLayers = new System.Collections.Concurrent.ConcurrentDictionary<int, byte[]>(parts.PieceLayers);
            _missingLayers = Files.Count(NeedsPieceLayer);
        }
        else
        {
            _pieceLayers = parts.PieceLayers;
        }
    }

    /// <summary>The v1 and/or v2 info-hashes.</summary>
    public InfoHashes InfoHashes { get; }

    /// <summary>The sanitised name: the file name of a single-file torrent, or the folder of a multi-file one.</summary>
    public string Name { get; }

    /// <summary>The name as the torrent spells it, for display only.</summary>
    public string OriginalName { get; }

    /// <summary>Every file in piece order, pad files included (see <see cref="FileEntry.IsPad"/>).</summary>
    public IReadOnlyList<FileEntry> Files { get; }

    /// <summary>True when the files live in a folder named <see cref="Name"/>.</summary>
    public bool IsMultiFile { get; }

    /// <summary>Bytes per piece (the last piece of the torrent, or of a v2 file, may be shorter).</summary>
    public int PieceLength { get; }

    /// <summary>Number of pieces.</summary>
    public int PieceCount { get; }

    /// <summary>Total bytes of content, pad files excluded.</summary>
    public long TotalSize { get; }

    /// <summary>Size of the piece space: the end of the last file, with pad files and v2 alignment included.</summary>
    public long PieceSpaceSize { get; }

    /// <summary>Size of the last piece in bytes.</summary>
    public int LastPieceSize => GetPieceSize(PieceCount - 1);

    /// <summary>Which metadata versions the torrent has.</summary>
    public TorrentVersion Version { get; }

    /// <summary>True when the torrent has v1 metadata (SHA-1 pieces).</summary>
    public bool HasV1 => (Version & TorrentVersion.V1) != 0;

    /// <summary>True when the torrent has v2 metadata (per-file merkle trees).</summary>
    public bool HasV2 => (Version & TorrentVersion.V2) != 0;

    /// <summary>BEP 27: peers come only from the torrent's own trackers (no DHT, PEX or LSD).</summary>
    public bool IsPrivate { get; }

    /// <summary>The <c>source</c> field private trackers use to tell cross-seeded torrents apart, or null.</summary>
    public string? Source { get; }

    /// <summary>Tracker URLs grouped in tiers (BEP 12); a torrent with only <c>announce</c> has one tier.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Trackers { get; }

    /// <summary>BEP 19 web seed URLs (<c>url-list</c>).</summary>
    public IReadOnlyList<string> WebSeeds { get; }

    /// <summary>The comment, or null.</summary>
    public string? Comment { get; }

    /// <summary>The program that created the torrent, or null.</summary>
    public string? CreatedBy { get; }

    /// <summary>When the torrent was created, or null.</summary>
    public DateTimeOffset? CreationDate { get; }

    /// <summary>
    /// True when the v2 piece layers are known (always for a v2 .torrent file; metadata fetched
    /// from peers carries only the info dictionary, and becomes true once a session has fetched
    /// every layer from peers, BEP 52).
    /// </summary>
    public bool HasPieceLayers => _parsedLayers || (Volatile.Read(ref _missingLayers) == 0 && _pieceLayers.Count > 0);

    /// <summary>The bencoded info dictionary exactly as received; its SHA-1/SHA-256 is the info-hash.</summary>
    public ReadOnlyMemory<byte> InfoBytes => _infoBytes;

    /// <summary>Parses a .torrent file.</summary>
    /// <exception cref="TorrentFormatException">The data is not a valid torrent.</exception>
    public static TorrentInfo Parse(ReadOnlySpan<byte> data, TorrentParseOptions? options = null) =>
        new(MetainfoParser.ParseTorrent(data, options ?? TorrentParseOptions.Default));

    /// <summary>Parses a .torrent file; returns false instead of throwing when it is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TorrentInfo? info, TorrentParseOptions? options = null)
    {
        try
        {
            info = Parse(data, options);
            return true;
        }
        catch (TorrentFormatException)
        {
            info = null;
            return false;
        }
    }

    /// <summary>Reads and parses a .torrent file from disk.</summary>
    /// <exception cref="TorrentFormatException">The file is too large or not a valid torrent.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read (permissions, or <paramref name="path"/> is a folder).</exception>
    /// <exception cref="IOException">Reading it failed.</exception>
    public static TorrentInfo Load(string path, TorrentParseOptions? options = null)
    {
        options ??= TorrentParseOptions.Default;
        using var stream = File.OpenRead(path);
        return Parse(TorrentFileBytes.Read(stream, options.MaxTorrentSize), options);
    }

    /// <summary>Reads and parses a .torrent file from disk asynchronously.</summary>
    /// <exception cref="TorrentFormatException">The file is too large or not a valid torrent.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read (permissions, or <paramref name="path"/> is a folder).</exception>
    /// <exception cref="IOException">Reading it failed.</exception>
    public static async Task<TorrentInfo> LoadAsync(string path, TorrentParseOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= TorrentParseOptions.Default;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return Parse(await TorrentFileBytes.ReadAsync(stream, options.MaxTorrentSize, cancellationToken).ConfigureAwait(false), options);
        }
    }

    /// <summary>
    /// Builds the metainfo from a bare info dictionary, as metadata fetched from peers (BEP 9)
    /// arrives. Without piece layers, v2 pieces can only be verified once the layers are fetched.
    /// </summary>
    /// <exception cref="TorrentFormatException">The dictionary is not a valid info dictionary.</exception>
    public static TorrentInfo FromInfoDictionary(ReadOnlySpan<byte> infoBytes, TorrentParseOptions? options = null) =>
        new(MetainfoParser.ParseInfoOnly(infoBytes, options ?? TorrentParseOptions.Default));

    /// <summary>Number of bytes of piece <paramref name="index"/> (pad bytes count; v2 alignment gaps do not).</summary>
    public int GetPieceSize(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, PieceCount);
        long start = (long)index * PieceLength;
        if (HasV1)
        {
            return (int)Math.Min(PieceLength, PieceSpaceSize - start);
        }

        // v2 only: a piece lies inside one file; it ends where that file ends.
        var file = FindFileAt(start);
        return file is null ? 0 : (int)Math.Min(PieceLength, file.Offset + file.Length - start);
    }

    /// <summary>The 20-byte SHA-1 of piece <paramref name="index"/> (v1 and hybrid torrents).</summary>
    public ReadOnlySpan<byte> GetPieceHashV1(int index)
    {
        if (!HasV1)
        {
            throw new InvalidOperationException("A v2-only torrent has no SHA-1 piece hashes.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, PieceCount);
        return _pieceHashes.AsSpan(index * 20, 20);
    }

    /// <summary>
    /// The v2 piece layer of file <paramref name="fileIndex"/>: one 32-byte merkle node per
    /// piece, empty for files of at most one piece (their pieces root is the piece hash) or
    /// when the layers are not known yet.
    /// </summary>
    public ReadOnlySpan<byte> GetPieceLayer(int fileIndex) =>
        _pieceLayers.TryGetValue(fileIndex, out var layer) ? layer : ReadOnlySpan<byte>.Empty;

    /// <summary>True when <paramref name="file"/> is a v2 file of more than one piece whose piece layer is not known yet.</summary>
    internal bool NeedsPieceLayer(FileEntry file) =>
        HasV2 && !file.IsPad && file.Length > PieceLength && !_pieceLayers.ContainsKey(file.Index);

    /// <summary>
    /// Adds the piece layer of file <paramref name="fileIndex"/> fetched from peers (BEP 52) or
    /// resume data, when it has one node per piece of the file and hashes to its pieces root.
    /// Any thread; a layer already known is kept.
    /// </summary>
    internal bool TryAddPieceLayer(int fileIndex, byte[] layer)
    {
        if ((uint)fileIndex >= (uint)Files.Count || _pieceLayers is not System.Collections.Concurrent.ConcurrentDictionary<int, byte[]> layers)
        {
            return false;
        }

        var file = Files[fileIndex];
        long pieces = (file.Length + PieceLength - 1) / PieceLength;
        if (!HasV2 || file.IsPad || file.Length <= PieceLength || layer.Length != pieces * MerkleTree.HashSize
            || !MerkleTree.PieceLayerMatchesRoot(layer, PieceLength, file.PiecesRoot.Span))
        {
            return false;
        }

        lock (_layerLock)
        {
            if (layers.TryAdd(fileIndex, layer))
            {
                _missingLayers--;
            }
        }

        return true;
    }

    /// <summary>The file whose bytes include piece-space offset <paramref name="offset"/>, or null for pad gaps.</summary>
    public FileEntry? FindFileAt(long offset)
    {
        int lo = 0, hi = Files.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var file = Files[mid];
            if (offset < file.Offset)
            {
                hi = mid - 1;
            }
            else if (offset >= file.Offset + file.Length)
            {
                lo = mid + 1;
            }
            else
            {
                return file;
            }
        }

        return null;
    }

    /// <summary>
    /// Writes the torrent back out as a .torrent file: the info dictionary byte for byte as
    /// received (so the info-hashes stay the same), with trackers, web seeds, comment, creator,
    /// date and piece layers.
    /// </summary>
    public byte[] ToBytes() => MetainfoWriter.Write(this, _pieceLayers);

    /// <summary>A magnet link with the info-hashes, name, trackers and web seeds.</summary>
    public MagnetLink ToMagnet() =>
        MagnetLink.Create(InfoHashes, OriginalName, Trackers.SelectMany(t => t), WebSeeds);

    /// <summary>The name and primary info-hash.</summary>
    public override string ToString() => $"{Name} ({InfoHashes.Primary})";
}
