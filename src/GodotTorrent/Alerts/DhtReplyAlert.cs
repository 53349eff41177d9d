namespace GodotTorrent.Alerts;

/// <summary>A DHT lookup for a torrent returned peers (posted once the DHT exists; DHT is a later step).</summary>
public sealed record DhtReplyAlert(int PeerCount = 0) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "dht_reply";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Dht;

    /// <inheritdoc/>
    public override string Message => $"the DHT returned peers ({PeerCount} peers)";
}
