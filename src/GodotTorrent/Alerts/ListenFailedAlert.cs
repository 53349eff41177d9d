using System.Net;


namespace GodotTorrent.Alerts;

/// <summary>The session could not listen on an address (every port of the range was taken, or the address is unusable), or a named interface gave no address.</summary>
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

    /// <summary>
    /// The network interface the listen entry named (<c>SessionSettings.ListenInterfaces</c>), or
    /// null when it gave an address. A name that gave no address at all has <see cref="Address"/> 0.0.0.0.
    /// </summary>
    public string? InterfaceName { get; init; }

    /// <inheritdoc/>
    public override string Message => InterfaceName is null
        ? $"could not listen on {Address} port {Port} ({Kind}): {Reason}"
        : $"could not listen on interface {InterfaceName} ({Address} port {Port}, {Kind}): {Reason}";

    private string Kind => Transport == Session.PeerTransport.Utp ? "uTP" : "TCP";
}
