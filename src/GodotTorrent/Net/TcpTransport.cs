using System.Net;
using System.Net.Sockets;

namespace GodotTorrent.Net;

/// <summary>Plain TCP: the default transport.</summary>
internal sealed class TcpTransport : ITransport
{
    public static TcpTransport Instance { get; } = new();

    public Session.PeerTransport Kind => Session.PeerTransport.Tcp;

    public ValueTask<IPeerConnectionStream> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken) =>
        DialAsync(remote, null, cancellationToken);

    public ValueTask<IPeerConnectionStream> ConnectAsync(IPEndPoint remote, IPAddress local, CancellationToken cancellationToken) =>
        DialAsync(remote, local, cancellationToken);

    private static async ValueTask<IPeerConnectionStream> DialAsync(IPEndPoint remote, IPAddress? local, CancellationToken cancellationToken)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            TcpSocketStream.Configure(socket);
            if (local is not null)
            {
                // Port 0: the system picks the local port, the address is the outgoing interface's.
                socket.Bind(new IPEndPoint(local, 0));
            }

            await socket.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
            return new TcpSocketStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ITransportListener Listen(IPEndPoint local)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (local.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // IPv4 gets its own listener; a dual-stack socket would fight it for the port.
                socket.DualMode = false;
            }

            socket.Bind(local);
            socket.Listen(128);
            return new TcpTransportListener(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
