using System.Buffers;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;
using GodotTorrent.Tests.Net.Encryption;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Peers;

public class UploadServerTests
{
    private const int Block = 16 * 1024;
    private const int PieceSize = 40 * Block;
    private const int PieceCount = 4;

    [Fact]
    public void Requests_that_follow_each_other_are_read_once_per_run_and_every_block_goes_out_as_asked()
    {
        var host = new Host();
        var (peer, wire) = Connect();
        for (int i = 0; i < 20; i++)
        {
            peer.PeerRequests.AddLast(new BlockRequest(1, i * Block, Block));
        }

        peer.PeerRequests.AddLast(new BlockRequest(1, 30 * Block, Block)); // not next to the run before it
        peer.PeerRequests.AddLast(new BlockRequest(3, 39 * Block, 1000)); // the last block of the last piece, short

        new UploadServer(host).Serve(peer);

        Assert.Equal(
            new[] { (1, 0, UploadServer.MaxRunBlocks * Block), (1, 16 * Block, 4 * Block), (1, 30 * Block, Block), (3, 39 * Block, 1000) },
            host.Reads);
        Assert.Empty(peer.PeerRequests);
        Assert.Equal(0, peer.ReadsInFlight);
        var sent = Drain(peer, wire);
        var expected = Enumerable.Range(0, 20).Select(i => (1, i * Block, Block)).Append((1, 30 * Block, Block)).Append((3, 39 * Block, 1000));
        Assert.Equal(expected, sent);
        Assert.Equal(20 * Block + Block + 1000, host.UploadedBytes);
    }

    [Fact]
    public void A_run_stops_where_the_upload_limit_runs_dry_and_the_rest_waits_queued()
    {
        var host = new Host { Allowance = 3 * Block };
        var (peer, wire) = Connect();
        for (int i = 0; i < 10; i++)
        {
            peer.PeerRequests.AddLast(new BlockRequest(0, i * Block, Block));
        }

        new UploadServer(host).Serve(peer);

        Assert.Equal(new[] { (0, 0, 3 * Block) }, host.Reads);
        Assert.NotEqual(0, host.Retries); // asked to try again once the limits refill
        Assert.Equal(7, peer.PeerRequests.Count);
        Assert.Equal(new BlockRequest(0, 3 * Block, Block), peer.PeerRequests.First!.Value);
        Assert.Equal(Enumerable.Range(0, 3).Select(i => (0, i * Block, Block)), Drain(peer, wire));
    }

    [Fact]
    public void Blocks_of_other_lengths_end_a_run_so_each_message_keeps_the_length_asked_for()
    {
        var host = new Host();
        var (peer, wire) = Connect();
        peer.PeerRequests.AddLast(new BlockRequest(2, 0, 8192));
        peer.PeerRequests.AddLast(new BlockRequest(2, 8192, 8192));
        peer.PeerRequests.AddLast(new BlockRequest(2, 16384, 4096)); // shorter: may end the run
        peer.PeerRequests.AddLast(new BlockRequest(2, 20480, 4096)); // after a short block: starts a new one
        peer.PeerRequests.AddLast(new BlockRequest(2, 24576, 16384)); // longer than its run's blocks: a new one

        new UploadServer(host).Serve(peer);

        Assert.Equal(new[] { (2, 0, 20480), (2, 20480, 4096), (2, 24576, 16384) }, host.Reads);
        Assert.Equal(new[] { (2, 0, 8192), (2, 8192, 8192), (2, 16384, 4096), (2, 20480, 4096), (2, 24576, 16384) }, Drain(peer, wire));
    }

    private static (PeerConnection Peer, MemoryDuplex.End Wire) Connect()
    {
        var duplex = new MemoryDuplex();
        var peer = new PeerConnection(1, duplex.Dialler, PeerId.Generate(), HandshakeReserved.Create(true, true, false), outgoing: false, DateTimeOffset.UnixEpoch, PeerWireLimits.Default);
        return (peer, duplex.Dialler);
    }

    // Every message sent must be a piece message whose bytes are the storage's at that place.
    private static List<(int Piece, int Offset, int Length)> Drain(PeerConnection peer, MemoryDuplex.End wire)
    {
        var pieces = new List<(int, int, int)>();
        foreach (var message in SentMessage.Drain(peer, wire, reader => reader.SetPieceGeometry(PieceCount, _ => PieceSize)))
        {
            Assert.Equal(PeerMessageType.Piece, message.Type);
            for (int i = 0; i < message.Payload.Length; i++)
            {
                Assert.Equal(Host.ByteAt(message.Index, message.Begin + i), message.Payload[i]);
            }

            pieces.Add((message.Index, message.Begin, message.Payload.Length));
        }

        return pieces;
    }

    // Storage whose every byte is a function of where it is; reads complete at once, so Serve sends before it returns.
    private sealed class Host : IUploadHost
    {
        public long Allowance { get; set; } = long.MaxValue;

        public List<(int Piece, int Offset, int Length)> Reads { get; } = [];

        public long UploadedBytes { get; private set; }

        public int Retries { get; private set; }

        public bool CanUpload => true;

        public DateTimeOffset Now => DateTimeOffset.UnixEpoch;

        public static byte ByteAt(int piece, int offset) => (byte)((piece * 31) + (offset * 7) + (offset >> 9));

        public int PieceDataSize(int piece) => PieceSize;

        public bool TryConsumeUpload(int length)
        {
            if (Allowance < length)
            {
                return false;
            }

            Allowance -= length;
            return true;
        }

        public ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer)
        {
            Reads.Add((piece, offset, buffer.Length));
            var span = buffer.Span;
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = ByteAt(piece, offset + i);
            }

            return ValueTask.CompletedTask;
        }

        public void Uploaded(PeerConnection peer, int length) => UploadedBytes += length;

        public void ReadFailed(StorageException error) => throw error;

        public void RetrySoon() => Retries++;
    }
}
