namespace GodotTorrent.Alerts;

/// <summary>A BEP 44 put (immutable or mutable) ended.</summary>
/// <param name="Target">The item's target, lower-case hex.</param>
/// <param name="Sequence">The sequence number put, or null for an immutable item.</param>
/// <param name="StoredCount">Nodes that stored it.</param>
public sealed record DhtPutAlert(string Target, long? Sequence, int StoredCount) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "dht_put";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Dht;

    /// <inheritdoc/>
    public override string Message => $"DHT put {Target}: stored by {StoredCount} nodes";
}
