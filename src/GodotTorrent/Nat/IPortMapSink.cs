using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Nat;

/// <summary>Where a port mapper reports; safe to call from any thread (the session moves each report onto its loop).</summary>
internal interface IPortMapSink
{
    /// <summary>A mapping was made or renewed.</summary>
    void Mapped(PortMapping mapping);

    /// <summary>A mapping is gone: removed on request, expired, or its gateway vanished.</summary>
    void Unmapped(PortMappingMechanism mechanism, PortMappingTransport transport, int internalPort);

    /// <summary>Something failed; <paramref name="transport"/> is null when it is not about one port (no gateway).</summary>
    void Failed(PortMappingMechanism mechanism, PortMappingTransport? transport, int internalPort, ErrorCode error, string reason);

    /// <summary>The gateway told us its external address.</summary>
    void ExternalAddress(PortMappingMechanism mechanism, IPAddress address);
}
