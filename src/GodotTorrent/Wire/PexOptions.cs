namespace GodotTorrent.Wire;

/// <summary>Timings and caps of a <see cref="PexState"/>.</summary>
internal sealed record PexOptions
{
    /// <summary>The defaults.</summary>
    public static PexOptions Default { get; } = new();

    /// <summary>Least time between two messages we send on one connection (BEP 11: once a minute).</summary>
    public TimeSpan SendInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Least time between two messages we take from one connection; sooner ones are ignored.
    /// Below a minute, so a peer whose clock runs a little fast is not cut off.
    /// </summary>
    public TimeSpan MinReceiveInterval { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Most added peers per message, sent or taken (BEP 11: 50).</summary>
    public int MaxAddedPerMessage { get; init; } = PexMessage.MaxPeersPerMessage;

    /// <summary>Most dropped peers per message, sent or taken (BEP 11: 50).</summary>
    public int MaxDroppedPerMessage { get; init; } = PexMessage.MaxPeersPerMessage;

    /// <summary>Most distinct peers taken from one connection over its lifetime.</summary>
    public int MaxPeersPerConnection { get; init; } = 300;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SendInterval, TimeSpan.Zero, nameof(SendInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinReceiveInterval, TimeSpan.Zero, nameof(MinReceiveInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAddedPerMessage, 0, nameof(MaxAddedPerMessage));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDroppedPerMessage, 0, nameof(MaxDroppedPerMessage));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPeersPerConnection, 0, nameof(MaxPeersPerConnection));
    }
}
