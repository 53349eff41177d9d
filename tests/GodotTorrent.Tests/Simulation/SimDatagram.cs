using System.Net;

namespace GodotTorrent.Tests.Simulation;

/// <summary>One datagram a <see cref="SimDatagramTap"/> received: when (virtual time since the start), from whom, and its bytes.</summary>
internal sealed record SimDatagram(TimeSpan At, IPEndPoint From, byte[] Data);
