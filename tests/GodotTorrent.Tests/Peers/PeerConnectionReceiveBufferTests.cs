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

    [Fact]
    public async Task A_fast_sender_is_read_a_megabyte_at_a_time_and_no_more()
    {
        // 4 MiB of piece messages, handed out as fast as the reader offers room: the buffer doubles up
        // to the socket's 1 MiB receive buffer (one read, one batch for the loop), and stops there.
        const int pieceSize = 1 << 20;
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        var data = new byte[pieceSize];
        for (int piece = 0; piece < 4; piece++)
        {
            new Random(piece).NextBytes(data);
            PeerMessageWriter.WritePieces(output, piece, 0, BlockRequest.BlockSize, data);
        }

        var stream = new ScriptedStream(output.WrittenMemory);
        var peer = new PeerConnection(1, stream, PeerId.Generate(), HandshakeReserved.Create(true, true, false), outgoing: true, DateTimeOffset.UnixEpoch, PeerWireLimits.Default);
        peer.Reader.SetPieceGeometry(4, _ => pieceSize);
        var received = new List<InboundMessage>();

        var (error, _) = await peer.ReceiveLoopAsync((_, batch) => received.AddRange(batch));

        Assert.Equal(ErrorCode.ConnectionClosed, error);
        Assert.Equal(4 * pieceSize / BlockRequest.BlockSize, received.Count);
        Assert.True(stream.LargestRead > 768 * 1024, $"largest read offered {stream.LargestRead} bytes");
        Assert.True(stream.LargestRead <= 1 << 20, $"largest read offered {stream.LargestRead} bytes");
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
