using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A piece was downloaded and passed its hash check.</summary>
public sealed record PieceFinishedAlert(TorrentHandle Handle, int PieceIndex) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "piece_finished";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.PieceProgress;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: piece {PieceIndex} verified";
}
