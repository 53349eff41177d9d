using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>Capturing or writing a torrent's resume data failed.</summary>
public sealed record SaveResumeDataFailedAlert(TorrentHandle Handle, ErrorCode Error, string Reason) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "save_resume_data_failed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Storage;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: saving resume data failed: {Reason}";
}
