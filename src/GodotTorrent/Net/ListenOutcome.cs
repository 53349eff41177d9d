using System.Net;

namespace GodotTorrent.Net;

/// <summary>What came of listening on one address: the bound endpoint, or why not.</summary>
/// <param name="Address">The address asked for.</param>
/// <param name="Port">The first port tried.</param>
/// <param name="Bound">The bound endpoint, or null on failure.</param>
/// <param name="Failure">Why binding failed, or null.</param>
/// <param name="Transport">Which transport listened (TCP or uTP).</param>
internal sealed record ListenOutcome(IPAddress Address, int Port, IPEndPoint? Bound, string? Failure, Session.PeerTransport Transport = Session.PeerTransport.Tcp)
{
    /// <summary>The interface the listen entry named, or null when it gave an address.</summary>
    public string? InterfaceName { get; init; }
}
