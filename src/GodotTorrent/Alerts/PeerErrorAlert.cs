using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A peer sent something invalid and was disconnected.</summary>
public sealed record PeerErrorAlert(TorrentHandle Handle, IPEndPoint EndPoint, ErrorCode Error, string Reason) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "peer_error";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Peer;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: peer {EndPoint} broke the protocol: {Reason}";
}
