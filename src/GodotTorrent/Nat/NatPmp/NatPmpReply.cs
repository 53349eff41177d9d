using System.Net;

namespace GodotTorrent.Nat.NatPmp;

/// <summary>
/// A gateway's answer to one of our requests, checked against it: the result code, the gateway's
/// seconds since its epoch began, and the external address (opcode 0) or the granted mapping.
/// </summary>
internal readonly record struct NatPmpReply(int ResultCode, uint Epoch, IPAddress? ExternalAddress, int InternalPort, int ExternalPort, uint Lifetime);
