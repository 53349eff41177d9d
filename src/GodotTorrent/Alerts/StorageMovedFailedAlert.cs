using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>Moving a torrent's files failed; they stay where they were.</summary>
public sealed record StorageMovedFailedAlert(TorrentHandle Handle, string NewSavePath, ErrorCode Error, string Reason) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "storage_moved_failed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Storage;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: moving to {NewSavePath} failed: {Reason}";
}
