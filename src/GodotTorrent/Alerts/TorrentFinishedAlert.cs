using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>Every wanted piece of a torrent is downloaded and verified.</summary>
public sealed record TorrentFinishedAlert(TorrentHandle Handle) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "torrent_finished";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName} finished: every wanted piece is verified";
}
