using System.Net;

namespace GodotTorrent.Dht;

/// <summary>The peers announced to us for one info-hash, with when each last announced.</summary>
internal sealed class StoredPeers(int index)
{
    /// <summary>Where this info-hash sits in the store's key list (for random eviction).</summary>
    public int Index { get; set; } = index;

    public List<(IPEndPoint EndPoint, DateTimeOffset At, bool Seed)> Peers { get; } = [];
}
