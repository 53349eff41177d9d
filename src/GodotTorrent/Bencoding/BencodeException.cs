namespace GodotTorrent.Bencoding;

/// <summary>
/// Bencoded data that is malformed or exceeds the decoder's limits. <see cref="TorrentException.ErrorCode"/>
/// says what was wrong (a parse code, 100-199) and <see cref="TorrentFormatException.Offset"/> the byte
/// where it was found.
/// </summary>
public sealed class BencodeException : TorrentFormatException
{
    /// <summary>Creates the exception for a problem of kind <paramref name="errorCode"/> found at byte <paramref name="offset"/> of the input.</summary>
    /// <param name="errorCode">What was wrong.</param>
    /// <param name="message">A human-readable description.</param>
    /// <param name="offset">The byte offset in the input where the problem was found.</param>
    public BencodeException(ErrorCode errorCode, string message, long offset)
        : base(errorCode, message, offset)
    {
    }
}
