using System.Net;

namespace GodotTorrent.Session;

/// <summary>
/// A port the gateway forwards to us: peers outside reach <see cref="ExternalAddress"/>:<see cref="ExternalPort"/>
/// and arrive at our <see cref="InternalPort"/>. Renewed before <see cref="Expires"/> while the session runs.
/// </summary>
/// <param name="Mechanism">How the mapping was made.</param>
/// <param name="Transport">TCP or UDP.</param>
/// <param name="InternalPort">Our listen port.</param>
/// <param name="ExternalPort">The gateway's port (another one when ours was taken by another host).</param>
/// <param name="ExternalAddress">The gateway's external address, when it told us.</param>
/// <param name="Expires">When the lease ends unless renewed; <see cref="DateTimeOffset.MaxValue"/> for a permanent mapping.</param>
public sealed record PortMapping(
    PortMappingMechanism Mechanism,
    PortMappingTransport Transport,
    int InternalPort,
    int ExternalPort,
    IPAddress? ExternalAddress,
    DateTimeOffset Expires);
