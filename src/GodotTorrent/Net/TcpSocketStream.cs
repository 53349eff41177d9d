using System.Net;
using System.Net.Sockets;

namespace GodotTorrent.Net;

/// <summary>A connected TCP socket used directly (no NetworkStream layer) for the fewest copies.</summary>
internal sealed class TcpSocketStream : IPeerConnectionStream
{
    private readonly Socket _socket;
    private int _aborted;

    public TcpSocketStream(Socket socket)
    {
        _socket = socket;
        RemoteEndPoint = Normalize((IPEndPoint)socket.RemoteEndPoint!);
        LocalEndPoint = Normalize((IPEndPoint)socket.LocalEndPoint!);
    }

    public IPEndPoint RemoteEndPoint { get; }

    public IPEndPoint LocalEndPoint { get; }

    public Session.PeerTransport Transport => Session.PeerTransport.Tcp;

    public static void Configure(Socket socket)
    {
        // Requests and small control messages must not wait for Nagle's timer.
        socket.NoDelay = true;
        socket.ReceiveBufferSize = 1 << 20;
        socket.SendBufferSize = 1 << 20;
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    public void Abort()
    {
        // Aborted, then disposed by whoever held it: the second call would only throw and catch
        // an ObjectDisposedException, once per closed connection (thousands a second in a flood).
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Abort();
        return ValueTask.CompletedTask;
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
