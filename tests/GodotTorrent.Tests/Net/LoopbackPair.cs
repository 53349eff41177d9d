using System.Net;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Net;

/// <summary>Two ends of one real TCP connection on 127.0.0.1, made with the engine's own transport.</summary>
internal sealed class LoopbackPair : IAsyncDisposable
{
    private LoopbackPair(IPeerConnectionStream dialler, IPeerConnectionStream acceptor)
    {
        Dialler = dialler;
        Acceptor = acceptor;
    }

    public IPeerConnectionStream Dialler { get; }

    public IPeerConnectionStream Acceptor { get; }

    public static async Task<LoopbackPair> OpenAsync()
    {
        await using var listener = TcpTransport.Instance.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        var accepting = listener.AcceptAsync(CancellationToken.None).AsTask();
        var dialler = await TcpTransport.Instance.ConnectAsync(listener.LocalEndPoint, CancellationToken.None);
        return new LoopbackPair(dialler, await accepting);
    }

    public async ValueTask DisposeAsync()
    {
        await Dialler.DisposeAsync();
        await Acceptor.DisposeAsync();
    }
}
