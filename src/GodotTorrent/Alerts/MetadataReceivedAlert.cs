using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A magnet link's metadata (the info dictionary) arrived from peers and was verified against the info-hash.</summary>
public sealed record MetadataReceivedAlert(TorrentHandle Handle) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "metadata_received";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: metadata received";
}
