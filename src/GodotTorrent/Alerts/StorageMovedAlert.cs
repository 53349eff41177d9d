using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A torrent's files were moved to a new save folder.</summary>
public sealed record StorageMovedAlert(TorrentHandle Handle, string NewSavePath) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "storage_moved";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Storage;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: moved to {NewSavePath}";
}
