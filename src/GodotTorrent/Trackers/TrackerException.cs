namespace GodotTorrent.Trackers;

/// <summary>
/// A tracker announce or scrape failed: the tracker refused it, answered with something
/// malformed or too large, or could not be reached in time. <see cref="TorrentException.ErrorCode"/>
/// is one of the tracker codes (800-899).
/// </summary>
public sealed class TrackerException : TorrentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">What went wrong.</param>
    /// <param name="message">A human-readable description (for <see cref="ErrorCode.TrackerFailure"/>, the tracker's own reason).</param>
    /// <param name="httpStatus">The HTTP status of the reply, or 0 when there was none.</param>
    /// <param name="innerException">The network or decoder error behind it, if any.</param>
    public TrackerException(ErrorCode errorCode, string message, int httpStatus = 0, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
        HttpStatus = httpStatus;
    }

    /// <summary>The HTTP status of the reply, or 0 when there was none (UDP, or no reply at all).</summary>
    public int HttpStatus { get; }
}
