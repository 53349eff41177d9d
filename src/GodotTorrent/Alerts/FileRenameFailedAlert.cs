using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>Renaming a file of a torrent failed.</summary>
public sealed record FileRenameFailedAlert(TorrentHandle Handle, int FileIndex, ErrorCode Error, string Reason) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "file_rename_failed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Storage;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: renaming file {FileIndex} failed: {Reason}";
}
