using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A port mapping was made or renewed on the gateway (libtorrent's <c>portmap</c>).</summary>
public sealed record PortMapAlert(PortMapping Mapping) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "portmap";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.PortMapping;

    /// <inheritdoc/>
    public override string Message =>
        $"{PortMapErrorAlert.Name(Mapping.Mechanism)}: mapped {Mapping.Transport} port {Mapping.InternalPort} to external {(Mapping.ExternalAddress is { } a ? a + ":" : "port ")}{Mapping.ExternalPort}";
}
