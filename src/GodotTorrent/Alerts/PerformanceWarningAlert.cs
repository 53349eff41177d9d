using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>Something limits a torrent's speed: the disk buffer is full, a rate limit is reached, a connection limit is hit.</summary>
public sealed record PerformanceWarningAlert(TorrentHandle Handle, string Warning) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "performance_warning";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.PerformanceWarning;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: {Warning}";
}
