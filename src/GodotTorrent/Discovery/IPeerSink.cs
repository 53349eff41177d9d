using GodotTorrent.Peers;

namespace GodotTorrent.Discovery;

/// <summary>Where peer sources deliver: the torrent's peer list. Engine loop only.</summary>
internal interface IPeerSink
{
    void Discovered(IReadOnlyList<DiscoveredPeer> peers, PeerSource source);
}
