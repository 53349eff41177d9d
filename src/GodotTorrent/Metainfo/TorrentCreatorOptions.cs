namespace GodotTorrent.Metainfo;

/// <summary>
/// What <see cref="TorrentCreator"/> writes. The defaults make a hybrid (v1 + v2) torrent with an
/// automatic piece length, no trackers, no creation date (so the same files always give the same
/// .torrent bytes) and "created by" set to <see cref="TorrentCreator.DefaultCreatedBy"/>.
/// </summary>
public sealed record TorrentCreatorOptions
{
    /// <summary>The defaults.</summary>
    public static TorrentCreatorOptions Default { get; } = new();

    /// <summary>
    /// Which metadata to write. Default <see cref="TorrentVersion.Hybrid"/>, as libtorrent does:
    /// v1-only clients and v2 clients can both join the swarm.
    /// </summary>
    public TorrentVersion Version { get; init; } = TorrentVersion.Hybrid;

    /// <summary>
    /// Bytes per piece: a power of two from 16 KiB to 128 MiB, or 0 (the default) to let
    /// <see cref="TorrentCreator.ChoosePieceLength(long)"/> pick one.
    /// </summary>
    public int PieceLength { get; init; }

    /// <summary>Tracker URLs in tiers (BEP 12); the first URL also goes to <c>announce</c>. Blank and repeated URLs are dropped.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Trackers { get; init; } = [];

    /// <summary>BEP 19 web seed URLs (<c>url-list</c>).</summary>
    public IReadOnlyList<string> WebSeeds { get; init; } = [];

    /// <summary>BEP 27: writes <c>private: 1</c> into the info dictionary (nothing when false).</summary>
    public bool IsPrivate { get; init; }

    /// <summary>The comment, or null for none.</summary>
    public string? Comment { get; init; }

    /// <summary>The <c>created by</c> field; null or empty leaves it out.</summary>
    public string? CreatedBy { get; init; } = TorrentCreator.DefaultCreatedBy;

    /// <summary>
    /// The <c>creation date</c>; null (the default) leaves it out so the output is reproducible.
    /// Pass <see cref="DateTimeOffset.UtcNow"/> to stamp it. It is outside the info dictionary,
    /// so it never changes the info-hash.
    /// </summary>
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>The <c>source</c> field in the info dictionary (changes the info-hash), or null.</summary>
    public string? Source { get; init; }

    /// <summary>The torrent's name; null uses the file or folder name.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Whether files and folders whose name starts with '.' (or that carry the hidden attribute)
    /// are shared. Default false: dot-files are usually editor, VCS or OS leftovers.
    /// </summary>
    public bool IncludeHiddenFiles { get; init; }

    /// <summary>What to do with symbolic links inside a folder (default <see cref="SymlinkPolicy.Skip"/>).</summary>
    public SymlinkPolicy Symlinks { get; init; } = SymlinkPolicy.Skip;

    /// <summary>
    /// Whether files with the owner-execute permission get the BEP 47 <c>x</c> attribute, as
    /// libtorrent's own folder walk does (default true; never set on Windows).
    /// </summary>
    public bool RecordExecutableAttribute { get; init; } = true;

    /// <summary>How many threads hash at once (default <see cref="Environment.ProcessorCount"/>).</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}
