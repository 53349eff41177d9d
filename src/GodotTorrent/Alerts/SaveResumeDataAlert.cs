using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>Resume data of a torrent was captured (and written, when the session keeps a resume folder).</summary>
public sealed record SaveResumeDataAlert(TorrentHandle Handle, GodotTorrent.Storage.ResumeData ResumeData) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "save_resume_data";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Storage;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: resume data saved";
}
