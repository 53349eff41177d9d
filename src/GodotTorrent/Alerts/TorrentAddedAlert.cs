using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A torrent was added to the session.</summary>
public sealed record TorrentAddedAlert(TorrentHandle Handle) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "torrent_added";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName} added";
}
