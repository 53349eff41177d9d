namespace GodotTorrent;

/// <summary>
/// Malformed input from outside: bencoded data, torrent files, magnet links. Thrown instead of
/// any runtime exception a parser could otherwise hit.
/// </summary>
public class TorrentFormatException : TorrentException
{
    /// <summary>Creates the exception for an error found at <paramref name="offset"/> of the input (-1 when no position applies).</summary>
    public TorrentFormatException(ErrorCode errorCode, string message, long offset = -1, Exception? innerException = null)
        : base(errorCode, offset >= 0 ? $"{message} (at byte {offset})" : message, innerException)
    {
        Offset = offset;
    }

    /// <summary>The byte (or character) offset in the input where the problem was found, or -1.</summary>
    public long Offset { get; }
}
