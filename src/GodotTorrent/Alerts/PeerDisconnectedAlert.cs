using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A peer connection closed.</summary>
public sealed record PeerDisconnectedAlert(TorrentHandle Handle, IPEndPoint EndPoint, ErrorCode Error, string Reason) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "peer_disconnected";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Connect;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: disconnected from {EndPoint}: {Reason}";
}
