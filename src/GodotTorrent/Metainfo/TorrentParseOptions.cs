namespace GodotTorrent.Metainfo;

/// <summary>Limits applied when parsing torrent files from untrusted sources.</summary>
public sealed record TorrentParseOptions
{
    /// <summary>The defaults: generous enough for any real torrent, small enough to be safe.</summary>
    public static TorrentParseOptions Default { get; } = new();

    /// <summary>Largest .torrent file accepted, in bytes (default 64 MiB).</summary>
    public int MaxTorrentSize { get; init; } = 64 * 1024 * 1024;

    /// <summary>Deepest nesting of lists and dictionaries (default 64).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most files accepted in one torrent (default 1,000,000).</summary>
    public int MaxFiles { get; init; } = 1_000_000;

    /// <summary>Most components in one file path (default 64).</summary>
    public int MaxPathDepth { get; init; } = 64;

    /// <summary>Largest piece length accepted (default 128 MiB).</summary>
    public int MaxPieceLength { get; init; } = 128 * 1024 * 1024;
}
