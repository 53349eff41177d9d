using System.Net;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Net.Encryption;

/// <summary>A peer that sends a fixed byte sequence and then closes; what we send is swallowed. Every call completes synchronously.</summary>
internal sealed class ScriptedStream(byte[] script) : IPeerConnectionStream
{
    public GodotTorrent.Session.PeerTransport Transport => GodotTorrent.Session.PeerTransport.Tcp;

    private int _offset;

    public IPEndPoint RemoteEndPoint { get; } = new(IPAddress.Loopback, 1);

    public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 2);

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int count = Math.Min(buffer.Length, script.Length - _offset);
        script.AsMemory(_offset, count).CopyTo(buffer);
        _offset += count;
        return ValueTask.FromResult(count);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void Abort()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
