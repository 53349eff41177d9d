namespace GodotTorrent.Dht;

/// <summary>How one get_peers lookup ended.</summary>
/// <param name="PeersFound">Distinct peer endpoints delivered.</param>
/// <param name="NodesQueried">Nodes asked during the lookup.</param>
/// <param name="NodesReplied">Nodes that answered.</param>
/// <param name="AnnouncedTo">Nodes that acknowledged our announce_peer (0 without an announce).</param>
/// <param name="Cancelled">The lookup was cancelled or the DHT stopped before it finished.</param>
internal sealed record DhtLookupResult(int PeersFound, int NodesQueried, int NodesReplied, int AnnouncedTo, bool Cancelled);
