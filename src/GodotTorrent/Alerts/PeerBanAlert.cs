using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A peer was banned (it sent data that failed hash checks too often) and will not be reconnected.</summary>
public sealed record PeerBanAlert(TorrentHandle Handle, IPEndPoint EndPoint, string Reason) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "peer_ban";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Peer;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: banned {EndPoint}: {Reason}";
}
