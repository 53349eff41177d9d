namespace GodotTorrent.Nat;

/// <summary>
/// One way of asking a gateway to forward ports (UPnP IGD, NAT-PMP/PCP). It finds its gateway,
/// maps, renews before leases end and reports through its <see cref="IPortMapSink"/>, all off the
/// engine loop: nothing the session does waits for a gateway.
/// </summary>
internal interface IPortMapper
{
    /// <summary>
    /// The ports to keep mapped from now on, replacing the previous set: new ones are mapped, ones
    /// no longer asked for are removed. Called on the engine loop; returns at once.
    /// </summary>
    void Map(IReadOnlyList<PortMapRequest> requests);

    /// <summary>Removes every mapping made and stops; bounded in time (a silent gateway does not hold the session's stop).</summary>
    Task StopAsync();
}
