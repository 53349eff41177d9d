namespace GodotTorrent.Bencoding;

/// <summary>
/// Bounds on what one decode may consume, so input from peers, trackers and DHT nodes cannot
/// exhaust memory or time. Every limit is checked before the work it guards is done.
/// </summary>
internal sealed record BencodeLimits
{
    /// <summary>Limits generous enough for any real torrent file.</summary>
    public static BencodeLimits Default { get; } = new();

    /// <summary>How deeply lists and dictionaries may nest (the top-level container is depth 1).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Largest byte string accepted; checked against the declared length before anything is copied.</summary>
    public int MaxStringLength { get; init; } = 64 * 1024 * 1024;

    /// <summary>Most values (integers, strings, keys, lists, dictionaries) one decode may create.</summary>
    public int MaxElements { get; init; } = 2_000_000;

    /// <summary>Largest input accepted, in bytes.</summary>
    public int MaxInputLength { get; init; } = 128 * 1024 * 1024;
}
