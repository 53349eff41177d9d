namespace GodotTorrent.Wire;

/// <summary>Limits and timings of a <see cref="MetadataFetcher"/>.</summary>
internal sealed record MetadataFetcherOptions
{
    /// <summary>The defaults.</summary>
    public static MetadataFetcherOptions Default { get; } = new();

    /// <summary>Largest info dictionary fetched; peers announcing more are not used.</summary>
    public int MaxMetadataSize { get; init; } = MetadataMessage.DefaultMaxMetadataSize;

    /// <summary>How long a request may stay unanswered before it is given to another peer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a peer is left alone after a reject or a timeout (times its strike count).</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests one peer may have outstanding at once (for different pieces).</summary>
    public int MaxOutstandingPerPeer { get; init; } = 3;

    /// <summary>
    /// Rejects plus timeouts in a row after which a peer is set aside (and its announced size no
    /// longer counts) until every other peer is set aside too.
    /// </summary>
    public int MaxStrikes { get; init; } = 3;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMetadataSize, 1, nameof(MaxMetadataSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxMetadataSize, 256 * 1024 * 1024, nameof(MaxMetadataSize));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(Backoff, TimeSpan.Zero, nameof(Backoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOutstandingPerPeer, 1, nameof(MaxOutstandingPerPeer));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStrikes, 1, nameof(MaxStrikes));
    }
}
