using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A torrent was removed from the session; its handle is no longer valid.</summary>
public sealed record TorrentRemovedAlert(TorrentHandle Handle) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "torrent_removed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName} removed";
}
