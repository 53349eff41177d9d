namespace GodotTorrent.Interop.Harness;

/// <summary>What the miniupnpd of a <see cref="NatRouter"/> offers.</summary>
public sealed record NatRouterOptions
{
    /// <summary>UPnP IGD (SSDP on the lan side, HTTP on <see cref="NatRouter.UpnpHttpPort"/>).</summary>
    public bool EnableUpnp { get; init; } = true;

    /// <summary>NAT-PMP and PCP on UDP 5351 of the router's lan address.</summary>
    public bool EnableNatPmp { get; init; } = true;

    /// <summary>
    /// miniupnpd's <c>max_lifetime</c> (and a <c>min_lifetime</c> below it): the longest lease it
    /// grants over PCP (miniupnpd 2.3.1 clamps PCP only; NAT-PMP and UPnP get what they ask).
    /// Null keeps miniupnpd's defaults (120 s to 24 h).
    /// </summary>
    public int? PcpMaxLifetimeSeconds { get; init; }
}
