using System.Net;

namespace GodotTorrent.Nat.Upnp;

/// <summary>A gateway found by discovery: its address, its port-mapping service, and our address toward it (the mappings' internal client).</summary>
internal sealed record UpnpGateway(IPAddress Address, UpnpService Service, IPAddress LocalAddress);
