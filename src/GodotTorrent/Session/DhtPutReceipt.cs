namespace GodotTorrent.Session;

/// <summary>How a BEP 44 put ended.</summary>
/// <param name="Target">The item's target, 40 hex digits (SHA-1 of the value, or of the public key and salt).</param>
/// <param name="Sequence">The sequence number put (mutable items), or null for an immutable item.</param>
/// <param name="StoredCount">Nodes that acknowledged the put; 0 means nobody stored it.</param>
public sealed record DhtPutReceipt(string Target, long? Sequence, int StoredCount);
