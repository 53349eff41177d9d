using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Nat;

/// <summary>One port the session wants reachable from outside: our <paramref name="InternalPort"/> over <paramref name="Transport"/>, on <paramref name="LocalAddress"/> (<see cref="IPAddress.Any"/>: whichever address faces the gateway).</summary>
internal readonly record struct PortMapRequest(PortMappingTransport Transport, int InternalPort, IPAddress LocalAddress);
