using System.Net;

namespace GodotTorrent.Trackers;

/// <summary>The result of one <see cref="TrackerManager.AnnounceAsync"/>: the peers found and what happened per tracker.</summary>
/// <param name="Peers">Peers from every tracker that answered, without duplicates.</param>
/// <param name="Events">Per-tracker events in the order they happened, for alerts.</param>
internal sealed record AnnounceOutcome(IReadOnlyList<IPEndPoint> Peers, IReadOnlyList<TrackerEvent> Events)
{
    /// <summary>True when at least one tracker answered.</summary>
    public bool AnyReply => Events.Any(e => e.Kind == TrackerEventKind.Reply);
}
