namespace GodotTorrent;

/// <summary>The base of every exception the engine throws on purpose; carries an <see cref="GodotTorrent.ErrorCode"/>.</summary>
public class TorrentException : Exception
{
    /// <summary>Creates an exception with a code and a message.</summary>
    public TorrentException(ErrorCode errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>What went wrong, as a stable code that alerts carry too.</summary>
    public ErrorCode ErrorCode { get; }
}
