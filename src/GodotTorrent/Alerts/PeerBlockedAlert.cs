using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>
/// The IP filter (<see cref="SessionSettings.IpFilter"/>) stopped a connection: an incoming one
/// (before its torrent is known, so <see cref="Handle"/> is null), an outgoing one about to be
/// dialled, or an open one closed because a new rule blocks its address.
/// </summary>
/// <param name="Handle">The torrent, or null for an incoming connection refused before its handshake.</param>
/// <param name="EndPoint">The peer's address.</param>
/// <param name="Incoming">True when the peer dialled us.</param>
public sealed record PeerBlockedAlert(TorrentHandle? Handle, IPEndPoint EndPoint, bool Incoming) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "peer_blocked";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.IpBlock;

    /// <inheritdoc/>
    public override string Message => Handle is null
        ? $"blocked incoming connection from {EndPoint} (IP filter)"
        : $"{Handle.Name}: blocked {(Incoming ? "incoming" : "outgoing")} connection with {EndPoint} (IP filter)";
}
