using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A torrent was paused.</summary>
public sealed record TorrentPausedAlert(TorrentHandle Handle) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "torrent_paused";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName} paused";
}
