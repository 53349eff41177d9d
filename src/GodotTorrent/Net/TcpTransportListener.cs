using System.Net;
using System.Net.Sockets;

namespace GodotTorrent.Net;

/// <summary>A bound, listening TCP socket.</summary>
internal sealed class TcpTransportListener(Socket socket) : ITransportListener
{
    public IPEndPoint LocalEndPoint { get; } = (IPEndPoint)socket.LocalEndPoint!;

    public async ValueTask<IPeerConnectionStream> AcceptAsync(CancellationToken cancellationToken)
    {
        var accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
        TcpSocketStream.Configure(accepted);
        return new TcpSocketStream(accepted);
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
