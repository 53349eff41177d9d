using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// Remembers the last dial that failed its handshake, so a download that times out with no peer
/// can say why (a peer that requires encryption hangs up on plaintext, and the reverse).
/// </summary>
internal sealed class HandshakeFailures
{
    private HandshakeFailedAlert? _last;

    public HandshakeFailures(TorrentSession session) =>
        session.Alerts.AlertPosted += (_, e) =>
        {
            if (e.Alert is HandshakeFailedAlert { Incoming: false } failed)
            {
                Volatile.Write(ref _last, failed);
            }
        };

    /// <summary>"; last failed handshake: ..." with a hint about <c>--encryption</c>, or nothing.</summary>
    public string Describe(SessionSettings settings)
    {
        if (Volatile.Read(ref _last) is not { } last)
        {
            return string.Empty;
        }

        string hint = (last.Error, settings.OutgoingEncryption) switch
        {
            (ErrorCode.ConnectionClosed, EncryptionPolicy.Disabled) => " (it may require encryption: try --encryption enabled)",
            (ErrorCode.EncryptionNotSupported, EncryptionPolicy.Forced) => " (it does not speak encryption: try --encryption enabled)",
            (ErrorCode.EncryptionHandshakeFailed, _) => " (no encryption level both sides allow?)",
            _ => string.Empty,
        };
        return $"; last failed handshake: {last.EndPoint}: {last.Reason}{hint}";
    }
}
