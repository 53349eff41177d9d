using System.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Net;

/// <summary>
/// The transports a session speaks and which one dials a given peer. TCP only today; uTP joins
/// the list later and this is where "prefer uTP when the peer advertised it" will be decided.
/// </summary>
internal sealed class ConnectionPolicy
{
    public ConnectionPolicy(IReadOnlyList<ITransport> transports)
    {
        if (transports.Count == 0)
        {
            throw new ArgumentException("A session needs at least one transport.", nameof(transports));
        }

        Transports = transports;
    }

    /// <summary>Every transport, in order of preference; each one listens on every listen address.</summary>
    public IReadOnlyList<ITransport> Transports { get; }

    /// <summary>The transport to dial <paramref name="remote"/> with, given what peer exchange said about it.</summary>
    public ITransport ForOutgoing(IPEndPoint remote, PexFlags hints) => Transports[0];
}
