using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>
/// Patch reuse is done (<see cref="AddTorrentParams.PreviousVersions"/>): before the torrent's first
/// check, its files found with identical content in an earlier version were copied into place (or
/// were already there), and the check verified them. Posted once, after that check, also when
/// nothing could be reused. Godot signal: <c>files_reused</c>.
/// </summary>
/// <param name="Handle">The torrent.</param>
/// <param name="Files">Files taken from earlier versions.</param>
/// <param name="Bytes">Bytes of those files in pieces the check verified: what does not need downloading.</param>
/// <param name="TotalFiles">Files of the torrent with content (pad and empty files not counted).</param>
public sealed record FilesReusedAlert(TorrentHandle Handle, int Files, long Bytes, int TotalFiles) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "files_reused";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Storage;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: reused {Files} of {TotalFiles} files ({Bytes} bytes) from earlier versions";
}
