using System.Net;

namespace GodotTorrent.Nat.NatPmp;

/// <summary>How the NAT-PMP mapper asks: the defaults follow RFC 6886; tests point it at a fake gateway and shorten the waits.</summary>
internal sealed record NatPmpOptions
{
    public static NatPmpOptions Default { get; } = new();

    /// <summary>The gateway to ask; null: the IPv4 default gateway, port 5351.</summary>
    public IPEndPoint? Gateway { get; init; }

    /// <summary>The wait after the first try; it doubles with each try (RFC 6886 3.1).</summary>
    public TimeSpan FirstRetransmit { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Tries per request. The RFC allows 9 (64 s); a gateway silent for 4 (3.75 s) is not coming.</summary>
    public int Tries { get; init; } = 4;

    /// <summary>Tries per removal at stop, where the whole stop is bounded by <see cref="StopTimeout"/>.</summary>
    public int RemovalTries { get; init; } = 2;

    /// <summary>The lifetime asked for, in seconds (RFC 6886 3.3 recommends 7200).</summary>
    public uint Lifetime { get; init; } = 7200;

    /// <summary>How long to leave a silent, missing or refusing gateway before asking again.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The shortest wait before a renewal, however short the granted lifetime.</summary>
    public TimeSpan MinimumRenewal { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The most a stop waits for the removals to be answered.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
