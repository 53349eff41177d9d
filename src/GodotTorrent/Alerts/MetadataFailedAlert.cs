using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>Metadata received from peers did not match the info-hash (or was too large) and was discarded.</summary>
public sealed record MetadataFailedAlert(TorrentHandle Handle, ErrorCode Error, string Reason) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "metadata_failed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Error;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: metadata failed: {Reason}";
}
