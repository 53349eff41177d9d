using System.Net;

namespace GodotTorrent.Trackers;

/// <summary>A successful announce reply, already bounded and validated.</summary>
internal sealed record AnnounceResponse
{
    /// <summary>The interval the tracker asked for, unclamped (the manager clamps it).</summary>
    public TimeSpan? Interval { get; init; }

    public TimeSpan? MinInterval { get; init; }

    public string? TrackerId { get; init; }

    public string? Warning { get; init; }

    /// <summary>Seeds (<c>complete</c>, or UDP seeders), when given.</summary>
    public int? Complete { get; init; }

    /// <summary>Leechers (<c>incomplete</c>), when given.</summary>
    public int? Incomplete { get; init; }

    /// <summary>Peers, IPv4 and IPv6, without duplicates or unusable addresses.</summary>
    public IReadOnlyList<IPEndPoint> Peers { get; init; } = [];
}
