using System.Net;

namespace GodotTorrent.Net;

/// <summary>
/// One connection to a peer, as the swarm sees it: a byte stream with its endpoints. TCP now;
/// uTP later implements the same contract.
/// </summary>
internal interface IPeerConnectionStream : IAsyncDisposable
{
    IPEndPoint RemoteEndPoint { get; }

    IPEndPoint LocalEndPoint { get; }

    /// <summary>What carries the bytes.</summary>
    Session.PeerTransport Transport => Session.PeerTransport.Tcp;

    /// <summary>Reads at least one byte; 0 means the peer closed the connection.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Sends every byte of <paramref name="data"/>.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Closes both directions at once (pending operations fail).</summary>
    void Abort();
}
