using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>
/// A gateway could not be found, refused a mapping, answered badly or stopped answering
/// (libtorrent's <c>portmap_error</c>). The session carries on without the mapping.
/// </summary>
/// <param name="Mechanism">UPnP, NAT-PMP or PCP.</param>
/// <param name="Transport">The port's protocol, or null when the failure is not about one port (no gateway found).</param>
/// <param name="InternalPort">Our port the mapping was for, or 0.</param>
/// <param name="Error">What went wrong (<see cref="ErrorCode.GatewayNotFound"/> ... <see cref="ErrorCode.PortMapConflict"/>).</param>
/// <param name="Reason">The gateway's words or ours.</param>
public sealed record PortMapErrorAlert(PortMappingMechanism Mechanism, PortMappingTransport? Transport, int InternalPort, ErrorCode Error, string Reason) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "portmap_error";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.PortMapping | AlertCategory.Error;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => Transport is { } transport
        ? $"{Name(Mechanism)}: could not map {transport} port {InternalPort}: {Reason}"
        : $"{Name(Mechanism)}: {Reason}";

    internal static string Name(PortMappingMechanism mechanism) => mechanism switch
    {
        PortMappingMechanism.Upnp => "UPnP",
        PortMappingMechanism.NatPmp => "NAT-PMP",
        _ => "PCP",
    };
}
