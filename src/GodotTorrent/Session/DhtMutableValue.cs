namespace GodotTorrent.Session;

/// <summary>A BEP 44 mutable item as read from the DHT, its signature checked.</summary>
/// <param name="Value">The bencoded value.</param>
/// <param name="Sequence">Its sequence number (the highest any node had).</param>
public sealed record DhtMutableValue(ReadOnlyMemory<byte> Value, long Sequence);
