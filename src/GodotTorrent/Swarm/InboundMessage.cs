using GodotTorrent.Wire;

namespace GodotTorrent.Swarm;

/// <summary>
/// A peer message copied out of the receive buffer so the engine loop can handle it after the
/// buffer is reused. A piece's block sits in a pooled buffer the loop takes over. A port
/// message's port is in <c>Index</c>.
/// </summary>
internal readonly record struct InboundMessage(PeerMessageType Type, int Index, int Begin, int Length, byte ExtendedId, byte[]? Data, int FrameLength);
