using GodotTorrent.Dht.Items;

namespace GodotTorrent.Dht;

/// <summary>How one BEP 44 get ended.</summary>
/// <param name="Value">The item's bencoded value (immutable or mutable), or null when no node had it.</param>
/// <param name="Mutable">The verified mutable item with the highest sequence number seen, or null.</param>
/// <param name="NodesReplied">Nodes that answered the lookup.</param>
/// <param name="Cancelled">Cancelled, or the DHT stopped, before the lookup ended.</param>
internal sealed record DhtItemResult(byte[]? Value, DhtMutableItem? Mutable, int NodesReplied, bool Cancelled);
