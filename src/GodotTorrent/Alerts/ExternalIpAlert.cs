using System.Net;

namespace GodotTorrent.Alerts;

/// <summary>A peer or tracker told us the address it sees us at (BEP 10 <c>yourip</c>, tracker replies).</summary>
public sealed record ExternalIpAlert(IPAddress Address) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "external_ip";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message => $"external address {Address}";
}
