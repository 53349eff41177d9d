using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>The answer to <c>TorrentSession.PostTorrentUpdates</c>: snapshots of the torrents that changed since the last call.</summary>
public sealed record StateUpdateAlert(IReadOnlyList<TorrentStatus> Statuses) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "state_update";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message => $"{Statuses.Count} torrents changed";
}
