namespace GodotTorrent.Trackers;

/// <summary>The result of one <see cref="TrackerManager.ScrapeAsync"/>.</summary>
/// <param name="Replies">Counts per tracker URL that answered.</param>
/// <param name="Events">Per-tracker events (scrape replies and failures), for alerts.</param>
internal sealed record ScrapeOutcome(IReadOnlyDictionary<string, ScrapeResponse> Replies, IReadOnlyList<TrackerEvent> Events);
