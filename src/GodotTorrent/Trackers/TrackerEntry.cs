namespace GodotTorrent.Trackers;

/// <summary>
/// One tracker's mutable state inside a <see cref="TrackerManager"/>. Guarded by the manager's
/// lock; the outside world only sees <see cref="ToStatus"/> snapshots.
/// </summary>
internal sealed class TrackerEntry(string url, Uri? uri, int tier)
{
    public string Url { get; } = url;

    /// <summary>The parsed URL, or null when it is unusable (the entry is then never contacted).</summary>
    public Uri? Uri { get; } = uri;

    public int Tier { get; set; } = tier;

    public bool Enabled => Uri is not null;

    public ITrackerClient? Client { get; set; }

    public bool Removed { get; set; }

    public bool Updating { get; set; }

    public bool Working { get; set; }

    /// <summary>True once a <c>started</c> announce succeeded and no <c>stopped</c> followed.</summary>
    public bool StartSent { get; set; }

    public ErrorCode LastError { get; set; }

    public string? LastErrorMessage { get; set; }

    public int LastHttpStatus { get; set; }

    public int Failures { get; set; }

    public DateTimeOffset? LastAnnounce { get; set; }

    /// <summary>When the next regular announce is due; <see cref="DateTimeOffset.MinValue"/> means now.</summary>
    public DateTimeOffset NextAnnounce { get; set; } = DateTimeOffset.MinValue;

    public DateTimeOffset? MinAnnounce { get; set; }

    public TimeSpan? Interval { get; set; }

    public int Seeds { get; set; } = -1;

    public int Peers { get; set; } = -1;

    public int Downloaded { get; set; } = -1;

    public string? Warning { get; set; }

    public string? TrackerId { get; set; }

    public TrackerStatus ToStatus() => new()
    {
        Url = Url,
        Tier = Tier,
        IsEnabled = Enabled,
        IsUpdating = Updating,
        IsWorking = Working,
        LastError = LastError,
        LastErrorMessage = LastErrorMessage,
        LastHttpStatus = LastHttpStatus,
        FailuresInARow = Failures,
        LastAnnounce = LastAnnounce,
        NextAnnounce = NextAnnounce == DateTimeOffset.MinValue ? null : NextAnnounce,
        MinAnnounce = MinAnnounce,
        Interval = Interval,
        Seeds = Seeds,
        Peers = Peers,
        Downloaded = Downloaded,
        Warning = Warning,
        TrackerId = TrackerId,
    };
}
