using System.Net;

namespace GodotTorrent.Net.Utp;

/// <summary>
/// uTP connections peers open on one UDP socket. Disposing it stops accepting; the socket and its
/// connections stay until the transport is disposed, so connections get their goodbye first.
/// </summary>
internal sealed class UtpListener(UtpSocketManager manager) : ITransportListener
{
    public IPEndPoint LocalEndPoint => manager.LocalEndPoint;

    public ValueTask<IPeerConnectionStream> AcceptAsync(CancellationToken cancellationToken) => manager.AcceptAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        manager.StopAccepting();
        return ValueTask.CompletedTask;
    }
}
