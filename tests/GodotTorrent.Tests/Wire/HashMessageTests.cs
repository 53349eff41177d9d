using System.Buffers;
using System.Buffers.Binary;
using GodotTorrent.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Wire;

/// <summary>BEP 52's hash request, hashes and hash reject on the wire: writing, reading, and refusing bad input.</summary>
public sealed class HashMessageTests
{
    private static readonly byte[] Root = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

    [Theory]
    [InlineData(21, 0)]
    [InlineData(23, 0)]
    [InlineData(22, 3)]
    public void Each_message_reads_back_as_written(int id, int hashCount)
    {
        var type = (PeerMessageType)id;
        var request = new HashRequest(Root, 1, 512, 512, 9);
        var hashes = Enumerable.Range(0, hashCount * 32).Select(i => (byte)i).ToArray();
        var output = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteHashMessage(output, type, request, hashes);

        Assert.True(PeerMessageTests.NewReader().TryRead(output.WrittenMemory, out var message, out int consumed));
        Assert.Equal(output.WrittenCount, consumed);
        Assert.Equal(type, message.Type);
        var payload = message.Payload.ToArray();
        Assert.True(HashRequest.TryParse(payload, out var read));
        Assert.True(read.SameAs(request));
        Assert.Equal(hashes, payload[HashRequest.EncodedLength..]);
    }

    [Theory]
    [InlineData(21, 47)]
    [InlineData(21, 50)]
    [InlineData(23, 81)]
    [InlineData(22, 47)]
    [InlineData(22, 48 + 33)]
    public void A_message_of_the_wrong_length_closes_the_connection(int id, int bodyLength)
    {
        var type = (PeerMessageType)id;
        var frame = Frame(type, new byte[bodyLength]);
        var error = Assert.Throws<PeerProtocolException>(() => PeerMessageTests.NewReader().TryRead(frame, out _, out _));
        Assert.Equal(ErrorCode.InvalidMessage, error.ErrorCode);
    }

    [Fact]
    public void A_huge_hashes_message_is_refused_from_its_length_prefix_alone()
    {
        // Only the 5-byte header has arrived: the reader must not wait to buffer 64 MiB of hashes.
        var head = new byte[5];
        BinaryPrimitives.WriteInt32BigEndian(head, 1 + 48 + (2_000_000 * 32));
        head[4] = (byte)PeerMessageType.Hashes;
        var error = Assert.Throws<PeerProtocolException>(() => PeerMessageTests.NewReader().TryRead(head, out _, out _));
        Assert.Equal(ErrorCode.MessageTooLarge, error.ErrorCode);
    }

    [Theory]
    [InlineData(1, 0, 0, 0)] // no nodes
    [InlineData(1, 0, 3, 0)] // not a power of two
    [InlineData(1, 0, 16384, 0)] // more than any request may ask
    [InlineData(1, 4, 8, 0)] // index not a multiple of the length
    [InlineData(64, 0, 2, 0)] // a layer no tree has
    [InlineData(1, 0, 2, 64)] // proof layers no tree has
    [InlineData(1, -8, 8, 0)] // an index past int.MaxValue (0xFFFFFFF8)
    public void Fields_out_of_range_do_not_parse(int baseLayer, int index, int length, int proofLayers)
    {
        var body = new byte[HashRequest.EncodedLength];
        Root.CopyTo(body, 0);
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(32), baseLayer);
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(36), index);
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(40), length);
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(44), proofLayers);
        Assert.False(HashRequest.TryParse(body, out _));
        Assert.False(HashRequest.TryParse(body.AsSpan(0, 47), out _));
    }

    [Theory]
    [InlineData(512, 9, 1)]
    [InlineData(512, 8, 0)]
    [InlineData(128, 9, 3)]
    [InlineData(2, 0, 0)]
    [InlineData(1, 3, 4)]
    public void Uncle_hashes_are_counted_as_libtorrent_counts_them(int length, int proofLayers, int uncles) =>
        Assert.Equal(uncles, new HashRequest(Root, 0, 0, length, proofLayers).UncleCount);

    [Fact]
    public void Answers_prove_the_root_and_a_changed_hash_does_not()
    {
        var (layer, root) = Layer(600);
        var tree = PieceLayerTree.Build(layer, 16 * 1024);
        Assert.Equal(1024, tree.Width);
        foreach (var request in new[] { new HashRequest(root, 0, 0, 512, 9), new HashRequest(root, 0, 512, 128, 9), new HashRequest(root, 0, 0, 1024, 9) })
        {
            var hashes = tree.Answer(request)!;
            Assert.Equal((request.Length + request.UncleCount) * 32, hashes.Length);
            Assert.True(PieceLayerTree.Proves(request, hashes, root));
            for (int at = 0; at < hashes.Length; at += 1000)
            {
                var bad = (byte[])hashes.Clone();
                bad[at] ^= 1;
                Assert.False(PieceLayerTree.Proves(request, bad, root));
            }

            Assert.False(PieceLayerTree.Proves(request, hashes.AsSpan(32), root));
        }

        // Too few proof layers to reach the root do not prove it; requests outside the tree get no answer.
        Assert.False(PieceLayerTree.Proves(new HashRequest(root, 0, 0, 512, 8), tree.Answer(new HashRequest(root, 0, 0, 512, 8))!, root));
        Assert.Null(tree.Answer(new HashRequest(root, 0, 1024, 2, 0)));
        Assert.Null(tree.Answer(new HashRequest(root, 0, 0, 2048, 0)));
        Assert.Null(tree.Answer(new HashRequest(root, 0, 0, 512, 10)));
    }

    internal static (byte[] Layer, byte[] Root) Layer(int pieces, int seed = 5)
    {
        var layer = new byte[pieces * 32];
        new Random(seed).NextBytes(layer);
        return (layer, MerkleTree.RootFromPieceLayer(layer, 16 * 1024));
    }

    private static byte[] Frame(PeerMessageType type, byte[] body)
    {
        var frame = new byte[5 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, 1 + body.Length);
        frame[4] = (byte)type;
        body.CopyTo(frame, 5);
        return frame;
    }
}
