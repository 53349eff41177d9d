using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>The answer to TorrentHandle.ReadPieceAsync: a verified piece's bytes, or the error that prevented reading it.</summary>
public sealed record ReadPieceAlert(TorrentHandle Handle, int PieceIndex, ReadOnlyMemory<byte> Data, ErrorCode Error = ErrorCode.None) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "read_piece";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Storage;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: piece {PieceIndex} read ({Data.Length} bytes)";
}
