namespace GodotTorrent.Wire;

/// <summary>Bounds the message reader enforces on what a peer sends.</summary>
internal sealed record PeerWireLimits
{
    /// <summary>The usual block size (BEP 3: 16 KiB).</summary>
    public const int DefaultBlockLength = 16 * 1024;

    /// <summary>The largest request length this engine will ever serve or accept in a limit.</summary>
    public const int MaxAllowedRequestLength = 128 * 1024;

    /// <summary>Limits that match what every client sends.</summary>
    public static PeerWireLimits Default { get; } = new();

    /// <summary>
    /// Largest block a piece message may carry. We only request 16 KiB blocks, so more is a
    /// protocol violation; it also caps the piece message at 13 + this many bytes.
    /// </summary>
    public int MaxBlockLength { get; init; } = DefaultBlockLength;

    /// <summary>
    /// Largest block a peer may request (BEP 3: clients close connections asking for more than
    /// 16 KiB); at most <see cref="MaxAllowedRequestLength"/>.
    /// </summary>
    public int MaxRequestLength { get; init; } = DefaultBlockLength;

    /// <summary>Largest bitfield, extended or unknown message, length prefix excluded.</summary>
    public int MaxLargeMessageLength { get; init; } = 1024 * 1024;

    /// <summary>Throws when a limit is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive or too large.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBlockLength, 1, nameof(MaxBlockLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBlockLength, MaxAllowedRequestLength, nameof(MaxBlockLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestLength, 1, nameof(MaxRequestLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRequestLength, MaxAllowedRequestLength, nameof(MaxRequestLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLargeMessageLength, 2, nameof(MaxLargeMessageLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxLargeMessageLength, 64 * 1024 * 1024, nameof(MaxLargeMessageLength));
    }
}
