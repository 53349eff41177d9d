namespace GodotTorrent.Trackers;

/// <summary>What a <see cref="TrackerEvent"/> reports; each maps to one alert type.</summary>
internal enum TrackerEventKind
{
    /// <summary>An announce was sent (<c>tracker_announce</c>).</summary>
    Announce,
    /// <summary>An announce succeeded (<c>tracker_reply</c>).</summary>
    Reply,
    /// <summary>The tracker sent a warning message (<c>tracker_warning</c>).</summary>
    Warning,
    /// <summary>An announce failed (<c>tracker_error</c>).</summary>
    Error,
    /// <summary>A scrape succeeded (<c>scrape_reply</c>).</summary>
    ScrapeReply,
    /// <summary>A scrape failed (<c>scrape_failed</c>).</summary>
    ScrapeFailed,
}
