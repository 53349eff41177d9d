namespace GodotTorrent.Alerts;

/// <summary>A BEP 44 get of an immutable item ended.</summary>
/// <param name="Target">The target asked for, lower-case hex.</param>
/// <param name="Value">The bencoded value (it hashes to the target), or null when no node had it.</param>
public sealed record DhtImmutableItemAlert(string Target, ReadOnlyMemory<byte>? Value) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "dht_immutable_item";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Dht;

    /// <inheritdoc/>
    public override string Message => Value is null ? $"DHT item {Target}: not found" : $"DHT item {Target}: {Value.Value.Length} bytes";
}
