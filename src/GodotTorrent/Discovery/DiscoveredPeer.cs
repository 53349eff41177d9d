using System.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Discovery;

/// <summary>An endpoint a peer source found, with what the source knows about it.</summary>
/// <param name="EndPoint">Where the peer listens.</param>
/// <param name="Flags">BEP 11 hints (peer exchange only; none from other sources).</param>
internal readonly record struct DiscoveredPeer(IPEndPoint EndPoint, PexFlags Flags = PexFlags.None);
