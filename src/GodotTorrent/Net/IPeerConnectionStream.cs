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
    Session.PeerTransport Transport { get; }

    /// <summary>Reads at least one byte; 0 means the peer closed the connection.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Sends every byte of <paramref name="data"/>.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Sends every byte of <paramref name="data"/>, which the caller discards afterwards: a stream
    /// may transform it in place (RC4 encrypts the peer's send buffer itself, with no second
    /// buffer and no cutting into pieces). Other streams send it as <see cref="SendAsync"/>.
    /// </summary>
    ValueTask SendScratchAsync(Memory<byte> data, CancellationToken cancellationToken) => SendAsync(data, cancellationToken);

    /// <summary>
    /// The peer says it accepts datagrams with this much payload (our BEP 10 key
    /// <c>gt_utp_packet</c>): uTP may send larger packets than an Ethernet frame's where the path
    /// allows. Streams that do not cut packets ignore it.
    /// </summary>
    void AcceptLargePackets(int payloadSize)
    {
    }

    /// <summary>Closes both directions at once (pending operations fail).</summary>
    void Abort();
}
