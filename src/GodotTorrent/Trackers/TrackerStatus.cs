namespace GodotTorrent.Trackers;

/// <summary>
/// A snapshot of one tracker of a torrent: where it sits in the tier list (BEP 12), how its last
/// announce went and when the next one is due, and the swarm counts it last reported.
/// Immutable; a new snapshot is made for every query.
/// </summary>
public sealed record TrackerStatus
{
    /// <summary>The announce URL as given.</summary>
    public required string Url { get; init; }

    /// <summary>The tier (0 is tried first).</summary>
    public required int Tier { get; init; }

    /// <summary>False when the URL cannot be used (malformed or an unsupported scheme); such a tracker is never contacted.</summary>
    public bool IsEnabled { get; init; } = true;

    /// <summary>True while an announce to it is under way.</summary>
    public bool IsUpdating { get; init; }

    /// <summary>True when its last announce succeeded.</summary>
    public bool IsWorking { get; init; }

    /// <summary>The error of its last failed announce or scrape, or <see cref="ErrorCode.None"/>.</summary>
    public ErrorCode LastError { get; init; }

    /// <summary>The message of its last error (for a refused announce, the tracker's reason), or null.</summary>
    public string? LastErrorMessage { get; init; }

    /// <summary>The HTTP status of its last failed announce, or 0.</summary>
    public int LastHttpStatus { get; init; }

    /// <summary>Announces that failed in a row since the last success.</summary>
    public int FailuresInARow { get; init; }

    /// <summary>When the last announce attempt ended, successful or not; null before the first.</summary>
    public DateTimeOffset? LastAnnounce { get; init; }

    /// <summary>When the next regular announce is due; null when it is due now.</summary>
    public DateTimeOffset? NextAnnounce { get; init; }

    /// <summary>The earliest time a forced announce is allowed (the tracker's <c>min interval</c>); null when there is no limit.</summary>
    public DateTimeOffset? MinAnnounce { get; init; }

    /// <summary>The announce interval the tracker asked for (after clamping to a sane range); null before its first reply.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>Seeds in the swarm by its last announce or scrape reply, or -1 when unknown.</summary>
    public int Seeds { get; init; } = -1;

    /// <summary>Downloading peers in the swarm by its last announce or scrape reply, or -1 when unknown.</summary>
    public int Peers { get; init; } = -1;

    /// <summary>Completed downloads by its last scrape reply, or -1 when unknown.</summary>
    public int Downloaded { get; init; } = -1;

    /// <summary>The tracker's last <c>warning message</c>, or null.</summary>
    public string? Warning { get; init; }

    /// <summary>The <c>tracker id</c> it gave, echoed in later announces (BEP 3); null when none.</summary>
    public string? TrackerId { get; init; }
}
