using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A torrent was resumed.</summary>
public sealed record TorrentResumedAlert(TorrentHandle Handle) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "torrent_resumed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName} resumed";
}
