using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A file of a torrent was renamed.</summary>
public sealed record FileRenamedAlert(TorrentHandle Handle, int FileIndex, string NewPath) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "file_renamed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Storage;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: file {FileIndex} renamed to {NewPath}";
}
