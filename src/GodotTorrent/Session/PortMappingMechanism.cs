namespace GodotTorrent.Session;

/// <summary>How a port mapping was made on the gateway (the home router).</summary>
public enum PortMappingMechanism
{
    /// <summary>UPnP Internet Gateway Device (SSDP discovery, SOAP control).</summary>
    Upnp,

    /// <summary>NAT Port Mapping Protocol (RFC 6886) to the default gateway.</summary>
    NatPmp,

    /// <summary>Port Control Protocol (RFC 6887), NAT-PMP's successor, to the default gateway.</summary>
    Pcp,
}
