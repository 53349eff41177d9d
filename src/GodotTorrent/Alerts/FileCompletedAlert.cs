using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>Every piece of a file is verified.</summary>
public sealed record FileCompletedAlert(TorrentHandle Handle, int FileIndex) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "file_completed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.FileProgress;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: file {FileIndex} complete";
}
