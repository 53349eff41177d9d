using System.Net;

namespace GodotTorrent.Net;

/// <summary>Binds UDP sockets; injected (as <see cref="ITransport"/> is) so a simulation can supply its own network.</summary>
internal interface IDatagramNetwork
{
    /// <summary>
    /// True when a socket's handlers may complete awaits inline, on the thread that delivered the
    /// datagram: the simulation's scheduler. Production sockets deliver on their receive loop,
    /// which must not run the awaiting code itself.
    /// </summary>
    bool CompletesInline { get; }

    /// <summary>Binds <paramref name="local"/> (port 0 picks a free port).</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The address or port cannot be bound.</exception>
    IDatagramSocket Bind(IPEndPoint local);
}
