using System.Net;

namespace GodotTorrent.Alerts;

/// <summary>A DHT node announced a peer to us (BEP 5 announce_peer with a valid token); we now hand it out to get_peers.</summary>
/// <param name="InfoHash">The info-hash announced, lower-case hex.</param>
/// <param name="EndPoint">The peer that was announced (the sender's address with the announced or implied port).</param>
public sealed record DhtAnnounceAlert(string InfoHash, IPEndPoint EndPoint) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "dht_announce";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Dht;

    /// <inheritdoc/>
    public override string Message => $"DHT announce of {InfoHash} from {EndPoint}";
}
