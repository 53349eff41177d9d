using System.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Swarm;

/// <summary>Who sent a block: the peer's address (as the peer list keys it) and its peer id. Outlives the connection.</summary>
internal readonly record struct BlockSender(IPEndPoint EndPoint, PeerId PeerId);
