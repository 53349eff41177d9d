using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>Reading or writing one of a torrent's files failed.</summary>
public sealed record FileErrorAlert(TorrentHandle Handle, int FileIndex, string? FilePath, ErrorCode Error, string Reason) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "file_error";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Storage;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: file {FilePath ?? FileIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {Reason}";
}
