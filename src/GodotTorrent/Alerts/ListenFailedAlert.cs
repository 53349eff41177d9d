using System.Net;


namespace GodotTorrent.Alerts;

/// <summary>The session could not listen on an address (every port of the range was taken, or the address is unusable).</summary>
public sealed record ListenFailedAlert(IPAddress Address, int Port, string Reason) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "listen_failed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Error;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => ErrorCode.ListenFailed;

    /// <summary>Which transport could not listen: TCP or uTP (UDP).</summary>
    public Session.PeerTransport Transport { get; init; }

    /// <inheritdoc/>
    public override string Message => $"could not listen on {Address} port {Port} ({(Transport == Session.PeerTransport.Utp ? "uTP" : "TCP")}): {Reason}";
}
