namespace GodotTorrent.Wire;

/// <summary>
/// A peer broke the wire protocol: a malformed handshake, an oversized or malformed message, a
/// piece index or block out of range, or a message it was not allowed to send.
/// <see cref="TorrentException.ErrorCode"/> is one of the peer codes (700-799); the engine
/// disconnects the peer with it and posts an alert.
/// </summary>
public sealed class PeerProtocolException : TorrentException
{
    /// <summary>Creates the exception for a violation of kind <paramref name="errorCode"/>.</summary>
    /// <param name="errorCode">What the peer did wrong.</param>
    /// <param name="message">A human-readable description.</param>
    /// <param name="innerException">The decoder error behind it, if any.</param>
    public PeerProtocolException(ErrorCode errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
