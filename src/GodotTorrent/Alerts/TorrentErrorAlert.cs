using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A torrent stopped because of an error (see TorrentStatus.Error; ClearError recovers).</summary>
public sealed record TorrentErrorAlert(TorrentHandle Handle, ErrorCode Error, string Reason) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "torrent_error";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Error;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: {Reason}";
}
