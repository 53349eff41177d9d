using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A tracker's reply carried a <c>warning message</c>; the announce itself succeeded.</summary>
public sealed record TrackerWarningAlert(TorrentHandle Handle, string Url, string Warning) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "tracker_warning";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Tracker;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: {Url} warns: {Warning}";
}
