using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>How one BEP 44 put ended.</summary>
/// <param name="Target">The item's target (SHA-1 of the value, or of the key and salt).</param>
/// <param name="Stored">Nodes that acknowledged the put.</param>
/// <param name="NodesQueried">Nodes asked during the lookup before it.</param>
/// <param name="Error">The first BEP 44 error a node answered with (302: our sequence number is lower than theirs), or null.</param>
/// <param name="Cancelled">Cancelled, or the DHT stopped, before the put ended.</param>
internal sealed record DhtPutResult(Id20 Target, int Stored, int NodesQueried, Items.DhtItemError? Error, bool Cancelled);
