using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A downloaded piece failed its hash check and will be downloaded again.</summary>
public sealed record HashFailedAlert(TorrentHandle Handle, int PieceIndex) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "hash_failed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: piece {PieceIndex} failed its hash check";
}
