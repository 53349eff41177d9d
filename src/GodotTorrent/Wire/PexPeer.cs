using System.Net;

namespace GodotTorrent.Wire;

/// <summary>One peer in a ut_pex <c>added</c> list: its listen address and flags.</summary>
/// <param name="EndPoint">Where the peer accepts connections.</param>
/// <param name="Flags">What the sender knows about it.</param>
internal readonly record struct PexPeer(IPEndPoint EndPoint, PexFlags Flags);
