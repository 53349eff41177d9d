using System.Net;

namespace GodotTorrent.Net.Handshake;

/// <summary>A stream that first replays bytes already read from it (peeked by the negotiator), then reads on.</summary>
internal sealed class PrefixedStream(IPeerConnectionStream inner, ReadOnlyMemory<byte> prefix) : IPeerConnectionStream
{
    private ReadOnlyMemory<byte> _pending = prefix;

    public IPEndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public Session.PeerTransport Transport => inner.Transport;

    public void AcceptLargePackets(int payloadSize) => inner.AcceptLargePackets(payloadSize);

    public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty)
        {
            return inner.ReceiveAsync(buffer, cancellationToken);
        }

        int count = Math.Min(buffer.Length, _pending.Length);
        _pending[..count].CopyTo(buffer);
        _pending = _pending[count..];
        return ValueTask.FromResult(count);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => inner.SendAsync(data, cancellationToken);

    public ValueTask SendScratchAsync(Memory<byte> data, CancellationToken cancellationToken) => inner.SendScratchAsync(data, cancellationToken);

    public void Abort() => inner.Abort();

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
