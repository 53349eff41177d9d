namespace GodotTorrent.Alerts;

/// <summary>The DHT node joined the network (posted once the DHT exists; DHT is a later step).</summary>
public sealed record DhtBootstrapAlert(int PeerCount = 0) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "dht_bootstrap";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Dht;

    /// <inheritdoc/>
    public override string Message => $"the DHT finished bootstrapping ({PeerCount} peers)";
}
