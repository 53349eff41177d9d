using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A peer connection finished its handshake.</summary>
public sealed record PeerConnectedAlert(TorrentHandle Handle, IPEndPoint EndPoint, string Client, bool Outgoing) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "peer_connect";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Connect;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: connected to {EndPoint} ({Client})";
}
