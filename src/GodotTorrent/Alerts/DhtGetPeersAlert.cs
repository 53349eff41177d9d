using System.Net;

namespace GodotTorrent.Alerts;

/// <summary>A DHT node asked us for the peers of an info-hash (BEP 5 get_peers).</summary>
/// <param name="InfoHash">The info-hash asked for, lower-case hex.</param>
/// <param name="EndPoint">The node that asked.</param>
public sealed record DhtGetPeersAlert(string InfoHash, IPEndPoint EndPoint) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "dht_get_peers";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Dht;

    /// <inheritdoc/>
    public override string Message => $"DHT get_peers for {InfoHash} from {EndPoint}";
}
