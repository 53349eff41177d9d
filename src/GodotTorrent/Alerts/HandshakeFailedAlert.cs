using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>
/// A connection ended before its BitTorrent handshake finished: refused by the encryption policy,
/// a broken or unanswered MSE handshake, an unknown torrent, or the handshake time-out. In the
/// <see cref="AlertCategory.Connect"/> category (off by default), so a flood of strangers' failed
/// handshakes does not crowd other alerts out of the queue.
/// </summary>
/// <param name="Handle">The torrent, or null for an incoming connection that failed before naming one.</param>
/// <param name="EndPoint">The peer's address.</param>
/// <param name="Incoming">True when the peer dialled us.</param>
/// <param name="Error">Why, for example <see cref="ErrorCode.EncryptionRequired"/>.</param>
/// <param name="Reason">What went wrong, in words.</param>
public sealed record HandshakeFailedAlert(TorrentHandle? Handle, IPEndPoint EndPoint, bool Incoming, ErrorCode Error, string Reason) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "handshake_failed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Connect;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => Handle is null
        ? $"incoming connection from {EndPoint} failed its handshake: {Reason}"
        : $"{Handle.Name}: {(Incoming ? "incoming" : "outgoing")} connection with {EndPoint} failed its handshake: {Reason}";
}
