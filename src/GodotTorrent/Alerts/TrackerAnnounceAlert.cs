using GodotTorrent.Session;
using GodotTorrent.Trackers;

namespace GodotTorrent.Alerts;

/// <summary>An announce was sent to a tracker.</summary>
public sealed record TrackerAnnounceAlert(TorrentHandle Handle, string Url, AnnounceEvent Event) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "tracker_announce";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Tracker;

    /// <inheritdoc/>
    public override string Message => Event == AnnounceEvent.None
        ? $"{TorrentName}: announcing to {Url}"
        : $"{TorrentName}: announcing to {Url} (event {Event.ToString().ToLowerInvariant()})";
}
