using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;

namespace GodotTorrent.Net.Encryption;

/// <summary>
/// An MSE connection at the RC4 level: every byte received is decrypted in place. A scratch send
/// (the peer's own send buffer) is encrypted in place and sent whole; any other send is encrypted
/// into a pooled buffer, so the caller's data is never changed (nothing is allocated per call once
/// the pool is warm). Sends must not overlap, as the RC4 keystream is one sequence.
/// </summary>
internal sealed class Rc4Stream(IPeerConnectionStream inner, Rc4 decryptor, Rc4 encryptor) : IPeerConnectionStream
{
    // Large sends (several blocks at once) are encrypted and sent in pieces of this size.
    private const int ChunkSize = 64 * 1024;

    public IPEndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public Session.PeerTransport Transport => inner.Transport;

    public void AcceptLargePackets(int payloadSize) => inner.AcceptLargePackets(payloadSize);

    public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

    // Pooled builders: a receive or send that waits on the socket allocates no state machine per call.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int read = await inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(true);
        decryptor.Process(buffer.Span[..read]);
        return read;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var chunk = ArrayPool<byte>.Shared.Rent(Math.Min(data.Length, ChunkSize));
        try
        {
            while (!data.IsEmpty)
            {
                int count = Math.Min(data.Length, chunk.Length);
                encryptor.Process(data.Span[..count], chunk);
                await inner.SendAsync(chunk.AsMemory(0, count), cancellationToken).ConfigureAwait(true);
                data = data[count..];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public ValueTask SendScratchAsync(Memory<byte> data, CancellationToken cancellationToken)
    {
        encryptor.Process(data.Span);
        return inner.SendScratchAsync(data, cancellationToken);
    }

    public void Abort() => inner.Abort();

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
