using System.Net;

namespace GodotTorrent.Alerts;

/// <summary>The session is listening for incoming peer connections on an endpoint.</summary>
public sealed record ListenSucceededAlert(IPEndPoint EndPoint) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "listen_succeeded";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <summary>Which transport listens there: TCP or uTP (UDP).</summary>
    public Session.PeerTransport Transport { get; init; }

    /// <inheritdoc/>
    public override string Message => $"listening on {EndPoint} ({(Transport == Session.PeerTransport.Utp ? "uTP" : "TCP")})";
}
