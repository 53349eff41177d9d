using System.Buffers.Binary;
using System.Net.Sockets;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Session;

/// <summary>
/// A v2-only torrent aligns every file to a piece boundary, the last one included. libtorrent
/// treats the gaps as pad files: every piece is a whole piece to it, and it requests blocks that
/// run past a file's end into the gap. A seed must answer those with the data and zeros, not drop
/// the peer (found by LibtorrentSwarmInteropTests). Real sockets: a hand-written peer sends
/// libtorrent's requests byte for byte over TCP.
/// </summary>
public class V2AlignmentGapTests
{
    private const int PieceLength = 32768;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Requests_running_into_the_v2_alignment_gap_are_served_with_zeros()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        // Piece 0: a.bin 0..32767; piece 1: a.bin 32768..39999 then a gap; piece 2: b.bin (1001 bytes) then a gap.
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 40_000), ("b.bin", 1_001)], PieceLength, TorrentVersion.V2);
        Assert.Equal(3, torrent.PieceCount);
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        using var cts = new CancellationTokenSource(Deadline);
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        using var client = new TcpClient();
        await client.ConnectAsync(SwarmFixture.EndPointOf(seeder), cts.Token);
        var stream = client.GetStream();
        var handshake = new byte[Handshake.Length];
        Handshake.Create(HandshakeReserved.Create(extensionProtocol: false, fastExtension: true, dht: false), torrent.InfoHashes.V2!.Truncated, PeerId.Generate("-LT2080-"))
            .WriteTo(handshake);
        await stream.WriteAsync(handshake, cts.Token);
        await stream.ReadExactlyAsync(new byte[Handshake.Length], cts.Token);
        await stream.WriteAsync(new byte[] { 0, 0, 0, 1, (byte)PeerMessageType.Interested }, cts.Token);
        await ReadUntilAsync(stream, PeerMessageType.Unchoke, cts.Token);

        // As libtorrent asks: whole 16 KiB blocks, the first of them only partly inside the files.
        await SendRequestAsync(stream, piece: 1, begin: 0, cts.Token);
        await SendRequestAsync(stream, piece: 2, begin: 0, cts.Token);
        var block1 = await ReadUntilAsync(stream, PeerMessageType.Piece, cts.Token);
        var block2 = await ReadUntilAsync(stream, PeerMessageType.Piece, cts.Token);

        var a = await File.ReadAllBytesAsync(Path.Combine(seedFolder, "pack", "a.bin"), cts.Token);
        var b = await File.ReadAllBytesAsync(Path.Combine(seedFolder, "pack", "b.bin"), cts.Token);
        AssertBlock(block1, 1, a.AsSpan(PieceLength));
        AssertBlock(block2, 2, b);
        Assert.True(client.Connected);
    }

    private static void AssertBlock(byte[] body, int piece, ReadOnlySpan<byte> data)
    {
        Assert.Equal(piece, BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(1)));
        Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(5)));
        var block = body.AsSpan(9);
        Assert.Equal(16384, block.Length);
        Assert.True(block[..data.Length].SequenceEqual(data));
        Assert.True(block[data.Length..].IndexOfAnyExcept((byte)0) < 0, "the alignment gap must read as zeros");
    }

    private static async Task SendRequestAsync(NetworkStream stream, int piece, int begin, CancellationToken cancellationToken)
    {
        var message = new byte[PeerMessageWriter.BlockMessageLength];
        PeerMessageWriter.WriteRequest(message, piece, begin, 16384);
        await stream.WriteAsync(message, cancellationToken);
    }

    /// <summary>Reads messages until one of <paramref name="type"/>; returns its body (id first). Fails on a closed connection.</summary>
    private static async Task<byte[]> ReadUntilAsync(NetworkStream stream, PeerMessageType type, CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        while (true)
        {
            await stream.ReadExactlyAsync(prefix, cancellationToken);
            var body = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
            await stream.ReadExactlyAsync(body, cancellationToken);
            Assert.False(body.Length > 0 && body[0] == (byte)PeerMessageType.Reject, "the request was rejected");
            if (body.Length > 0 && body[0] == (byte)type)
            {
                return body;
            }
        }
    }
}
