using System.Net;

namespace GodotTorrent.Alerts;

/// <summary>The session is listening for incoming peer connections on an endpoint.</summary>
public sealed record ListenSucceededAlert(IPEndPoint EndPoint) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "listen_succeeded";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message => $"listening on {EndPoint}";
}
