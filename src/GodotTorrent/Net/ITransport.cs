using System.Net;

namespace GodotTorrent.Net;

/// <summary>Makes outgoing connections and listens for incoming ones; injected so tests can control the network.</summary>
internal interface ITransport
{
    /// <summary>What this transport is, as peers and alerts report it.</summary>
    Session.PeerTransport Kind { get; }

    /// <summary>Connects to a peer; honours the token for the connect timeout.</summary>
    ValueTask<IPeerConnectionStream> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken);

    /// <summary>
    /// Connects from <paramref name="local"/> (an outgoing interface's address). A transport that
    /// cannot pick its local address (uTP sends from its listening socket) connects as usual.
    /// </summary>
    ValueTask<IPeerConnectionStream> ConnectAsync(IPEndPoint remote, IPAddress local, CancellationToken cancellationToken) => ConnectAsync(remote, cancellationToken);

    /// <summary>Starts listening on <paramref name="local"/> (port 0 picks a free port).</summary>
    ITransportListener Listen(IPEndPoint local);
}
