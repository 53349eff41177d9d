namespace GodotTorrent.Alerts;

/// <summary>A BEP 44 get of a mutable item ended.</summary>
/// <param name="PublicKey">The publisher's public key, lower-case hex.</param>
/// <param name="Salt">The salt, lower-case hex (empty for none).</param>
/// <param name="Value">The bencoded value with the highest sequence number seen, or null when no node had it.</param>
/// <param name="Sequence">Its sequence number; 0 when not found.</param>
public sealed record DhtMutableItemAlert(string PublicKey, string Salt, ReadOnlyMemory<byte>? Value, long Sequence) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "dht_mutable_item";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Dht;

    /// <inheritdoc/>
    public override string Message => Value is null ? $"DHT mutable item {PublicKey}: not found" : $"DHT mutable item {PublicKey}: seq {Sequence}";
}
