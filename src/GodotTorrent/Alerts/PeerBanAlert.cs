using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A peer's address was banned (smart ban proved its data bad, or it earned too many strikes for bad data or protocol violations): it is refused and not dialled again.</summary>
public sealed record PeerBanAlert(TorrentHandle Handle, IPEndPoint EndPoint, string Reason) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "peer_ban";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Peer;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: banned {EndPoint}: {Reason}";
}
