using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>
/// An announce to a tracker failed: it refused (<see cref="ErrorCode.TrackerFailure"/>, with its
/// reason), answered badly, or could not be reached.
/// </summary>
/// <param name="Handle">The torrent.</param>
/// <param name="Url">The tracker's announce URL.</param>
/// <param name="TimesInARow">Failures in a row, this one included.</param>
/// <param name="HttpStatus">The HTTP status of the reply, or 0.</param>
/// <param name="Error">What went wrong.</param>
/// <param name="ErrorMessage">The tracker's failure reason or a description of the error.</param>
public sealed record TrackerErrorAlert(TorrentHandle Handle, string Url, int TimesInARow, int HttpStatus, ErrorCode Error, string ErrorMessage) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "tracker_error";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Error;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: {Url} failed ({TimesInARow} in a row): {ErrorMessage}";
}
