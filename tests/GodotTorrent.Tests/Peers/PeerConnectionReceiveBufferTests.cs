using System.Net;
using GodotTorrent.Net;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Swarm;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Peers;

public class PeerConnectionReceiveBufferTests
{
    [Fact]
    public async Task A_message_larger_than_the_first_buffer_arrives_whole_as_the_buffer_grows()
    {
        // A bitfield of 2,400,000 pieces: 300,000 bytes, more than the initial buffer and the usual 256 KiB one.
        const int pieces = 2_400_000;
        var bits = new byte[pieces / 8];
        new Random(3).NextBytes(bits);
        var frame = new byte[5 + bits.Length];
        int written = PeerMessageWriter.WriteBitfield(frame, bits);
        var stream = new ScriptedStream(frame.AsMemory(0, written));
        var peer = new PeerConnection(1, stream, PeerId.Generate(), HandshakeReserved.Create(true, true, false), outgoing: true, DateTimeOffset.UnixEpoch, PeerWireLimits.Default);
        peer.Reader.SetPieceGeometry(pieces, _ => 16384);
        var received = new List<InboundMessage>();

        var (error, _) = await peer.ReceiveLoopAsync((_, batch) => received.AddRange(batch));

        Assert.Equal(ErrorCode.ConnectionClosed, error);
        var message = Assert.Single(received);
        Assert.Equal(PeerMessageType.Bitfield, message.Type);
        Assert.Equal(bits, message.Data.AsSpan(0, bits.Length).ToArray());
        Assert.True(stream.LargestRead > 256 * 1024, $"largest read offered {stream.LargestRead} bytes");
        Assert.True(stream.FirstRead <= 16 * 1024, $"first read offered {stream.FirstRead} bytes");
    }

    // Hands out the bytes as fast as the reader offers room, then ends the connection.
    private sealed class ScriptedStream(ReadOnlyMemory<byte> data) : IPeerConnectionStream
    {
        public GodotTorrent.Session.PeerTransport Transport => GodotTorrent.Session.PeerTransport.Tcp;

        private ReadOnlyMemory<byte> _left = data;

        public int FirstRead { get; private set; } = -1;

        public int LargestRead { get; private set; }

        public IPEndPoint RemoteEndPoint { get; } = new(IPAddress.Loopback, 1);

        public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 2);

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            if (FirstRead < 0)
            {
                FirstRead = buffer.Length;
            }

            LargestRead = Math.Max(LargestRead, buffer.Length);
            int n = Math.Min(buffer.Length, _left.Length);
            _left[..n].CopyTo(buffer);
            _left = _left[n..];
            return ValueTask.FromResult(n);
        }

        public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Abort()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
