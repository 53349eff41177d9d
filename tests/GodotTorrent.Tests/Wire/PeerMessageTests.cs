using System.Buffers;
using System.Buffers.Binary;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Wire;

public class PeerMessageTests
{
    private const int PieceCount = 10;
    private const int PieceLength = 32 * 1024;
    private const int LastPieceLength = 1000;

    internal static PeerMessageReader NewReader(PeerWireLimits? limits = null)
    {
        var reader = new PeerMessageReader(limits) { FastExtension = true, ExtensionProtocol = true };
        reader.SetPieceGeometry(PieceCount, i => i == PieceCount - 1 ? LastPieceLength : PieceLength);
        return reader;
    }

    /// <summary>One of every message, in an order a peer may send them, and how each reads back.</summary>
    internal static (byte[] Stream, string[] Expected) Conversation()
    {
        var output = new ArrayBufferWriter<byte>();
        var expected = new List<string>();
        var bitfield = new Bitfield(PieceCount);
        bitfield[0] = true;
        bitfield[9] = true;
        PeerMessageWriter.WriteExtended(output, 0, "d1:md6:ut_pexi1eee"u8);
        expected.Add("Extended #0 (18 bytes)");
        PeerMessageWriter.WriteBitfield(output, bitfield);
        expected.Add("Bitfield (2 bytes)");
        PeerMessageWriter.WritePort(output, 6881);
        expected.Add("Port 6881");
        PeerMessageWriter.WriteKeepAlive(output);
        expected.Add("KeepAlive");
        foreach (var type in new[] { PeerMessageType.Choke, PeerMessageType.Unchoke, PeerMessageType.Interested, PeerMessageType.NotInterested })
        {
            PeerMessageWriter.WriteEmpty(output, type);
            expected.Add(type.ToString());
        }

        foreach (var type in new[] { PeerMessageType.Have, PeerMessageType.Suggest, PeerMessageType.AllowedFast })
        {
            PeerMessageWriter.WriteIndex(output, type, 9);
            expected.Add($"{type} 9");
        }

        foreach (var type in new[] { PeerMessageType.Request, PeerMessageType.Cancel, PeerMessageType.Reject })
        {
            PeerMessageWriter.WriteBlock(output, type, 3, 16384, 16384);
            expected.Add($"{type} 3:16384+16384");
        }

        PeerMessageWriter.WritePiece(output, 9, 0, new byte[LastPieceLength]);
        expected.Add($"Piece 9:0+{LastPieceLength}");
        var block = Enumerable.Range(0, 16384).Select(i => (byte)i).ToArray();
        PeerMessageWriter.WritePieceHeader(output, 2, 16384, block.Length);
        output.Write(block);
        expected.Add("Piece 2:16384+16384");
        PeerMessageWriter.WriteExtended(output, 3, "d8:msg_typei0e5:piecei0eeXYZ"u8);
        expected.Add("Extended #3 (28 bytes)");
        return (output.WrittenSpan.ToArray(), [.. expected]);
    }

    private static List<string> ReadAll(PeerMessageReader reader, ReadOnlySequence<byte> buffer)
    {
        var seen = new List<string>();
        while (reader.TryRead(ref buffer, out var message))
        {
            seen.Add(message.ToString());
        }

        Assert.True(buffer.Length < 4 || buffer.Length < BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(0, 4).ToArray()) + 4);
        return seen;
    }

    [Fact]
    public void Every_message_round_trips()
    {
        var (stream, expected) = Conversation();
        Assert.Equal(expected, ReadAll(NewReader(), new ReadOnlySequence<byte>(stream)));
    }

    [Fact]
    public void Fields_and_payloads_read_back_exactly()
    {
        var buffer = new byte[64];
        var reader = NewReader();
        int n = PeerMessageWriter.WritePiece(buffer, 4, 100, [1, 2, 3]);
        Assert.True(reader.TryRead(buffer.AsMemory(0, n + 5), out var piece, out int consumed));
        Assert.Equal(n, consumed);
        Assert.Equal((PeerMessageType.Piece, 4, 100, 3), (piece.Type, piece.Index, piece.Begin, piece.Length));
        Assert.Equal([1, 2, 3], piece.Payload.ToArray());

        n = PeerMessageWriter.WriteRequest(buffer, 1, 2, 3);
        Assert.True(reader.TryRead(buffer.AsMemory(0, n), out var request, out _));
        Assert.Equal((1, 2, 3), (request.Index, request.Begin, request.Length));
        Assert.True(request.Payload.IsEmpty);

        n = PeerMessageWriter.WriteExtended(buffer, 7, [9, 8]);
        Assert.True(reader.TryRead(buffer.AsMemory(0, n), out var extended, out _));
        Assert.Equal(7, extended.ExtendedId);
        Assert.Equal([9, 8], extended.Payload.ToArray());

        Assert.False(reader.TryRead(buffer.AsMemory(0, 3), out _, out consumed));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void Unknown_message_ids_are_passed_through()
    {
        var reader = NewReader();
        Assert.True(reader.TryRead(new byte[] { 0, 0, 0, 3, 30, 0xAA, 0xBB }, out var message, out int consumed));
        Assert.Equal(7, consumed);
        Assert.Equal((PeerMessageType)30, message.Type);
        Assert.Equal([0xAA, 0xBB], message.Payload.ToArray());
    }

    [Fact]
    public void A_stream_split_at_every_byte_position_reads_the_same()
    {
        var (stream, expected) = Conversation();
        for (int cut = 1; cut < stream.Length; cut++)
        {
            Assert.Equal(expected, ReadAll(NewReader(), Chunks.Split(stream, cut)));
        }

        // Also three pieces, the second cut sweeping a short window after the first.
        for (int cut = 1; cut < 200; cut++)
        {
            Assert.Equal(expected, ReadAll(NewReader(), Chunks.Split(stream, cut, cut + 1 + (cut % 13))));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_stream_fed_in_small_and_random_chunks_reads_the_same(int seed)
    {
        var (stream, expected) = Conversation();
        var random = new Random(seed);
        var reader = NewReader();
        var pending = new List<ReadOnlyMemory<byte>>();
        var seen = new List<string>();
        int pos = 0;
        while (pos < stream.Length)
        {
            int size = seed == 0 ? 1 : random.Next(1, 3000);
            size = Math.Min(size, stream.Length - pos);
            pending.Add(stream.AsMemory(pos, size));
            pos += size;

            var buffer = Chunks.Join(pending);
            while (reader.TryRead(ref buffer, out var message))
            {
                seen.Add(message.ToString());
            }

            // Keep only what the reader left, as a pipe's AdvanceTo would.
            pending = buffer.IsEmpty ? [] : [buffer.ToArray()];
        }

        Assert.Equal(expected, seen);
        Assert.Empty(pending);
    }

    public static TheoryData<string, byte[], ErrorCode> Violations() => new()
    {
        { "length over any limit", Frame(0x7FFF_FFFF, 7), ErrorCode.MessageTooLarge },
        { "length over any limit, id not yet sent", [0x10, 0, 0, 0], ErrorCode.MessageTooLarge },
        { "choke with payload", Frame(2, 0, 0), ErrorCode.InvalidMessage },
        { "have all with payload", Frame(2, 14, 0), ErrorCode.InvalidMessage },
        { "have too short", Frame(4, 4, 0, 0, 0), ErrorCode.InvalidMessage },
        { "request too long", Frame(14, 6), ErrorCode.InvalidMessage },
        { "port too short", Frame(2, 9, 0), ErrorCode.InvalidMessage },
        { "piece without begin", Frame(5, 7, 0, 0, 0, 0), ErrorCode.InvalidMessage },
        { "extended without id", Frame(1, 20), ErrorCode.InvalidMessage },
        { "block over the limit", Frame(9 + 16385, 7), ErrorCode.MessageTooLarge },
        { "bitfield over the limit", Frame(1 + (1024 * 1024), 5), ErrorCode.MessageTooLarge },
        { "have past the last piece", Index(4, 10), ErrorCode.InvalidPieceIndex },
        { "have with a negative index", Index(4, -1), ErrorCode.InvalidPieceIndex },
        { "allowed fast past the last piece", Index(17, 10), ErrorCode.InvalidPieceIndex },
        { "request past the last piece", Block(6, 10, 0, 16384), ErrorCode.InvalidPieceIndex },
        { "request of zero bytes", Block(6, 0, 0, 0), ErrorCode.InvalidBlock },
        { "request over 16 KiB", Block(6, 0, 0, 16385), ErrorCode.InvalidBlock },
        { "request past the piece end", Block(6, 0, 16385, 16384), ErrorCode.InvalidBlock },
        { "request past the short last piece", Block(6, 9, 0, 1001), ErrorCode.InvalidBlock },
        { "request with a huge offset", Block(6, 0, -1, 16384), ErrorCode.InvalidBlock },
        { "cancel past the piece end", Block(8, 0, 32768, 1), ErrorCode.InvalidBlock },
        { "reject past the piece end", Block(16, 9, 1000, 1), ErrorCode.InvalidBlock },
        { "piece past the short last piece", Piece(9, 1, 1000), ErrorCode.InvalidBlock },
        { "piece without data", Piece(0, 0, 0), ErrorCode.InvalidBlock },
        { "bitfield too short", Frame(2, 5, 0), ErrorCode.InvalidBitfield },
        { "bitfield too long", Frame(4, 5, 0, 0, 0), ErrorCode.InvalidBitfield },
        { "bitfield with a spare bit", Frame(3, 5, 0, 0x20), ErrorCode.InvalidBitfield },
        { "have none after bitfield", [.. Frame(3, 5, 0, 0), .. Frame(1, 15)], ErrorCode.UnexpectedMessage },
    };

    [Fact]
    public void A_later_bitfield_or_have_all_is_tolerated()
    {
        // aria2 1.36 sends a bitfield mid-connection in place of a run of haves, and have-all once
        // it is complete; BEP 3 wants the bitfield first, but real peers do this.
        byte[] stream = [.. Frame(1, 1), .. Index(4, 1), .. Frame(3, 5, 0x40, 0), .. Frame(3, 5, 0xC0, 0), .. Frame(1, 14)];
        var reader = NewReader();
        var buffer = new ReadOnlySequence<byte>(stream);
        var types = new List<PeerMessageType>();
        while (reader.TryRead(ref buffer, out var message))
        {
            types.Add(message.Type);
        }

        Assert.Equal([PeerMessageType.Unchoke, PeerMessageType.Have, PeerMessageType.Bitfield, PeerMessageType.Bitfield, PeerMessageType.HaveAll], types);
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public void Each_violation_throws_its_code(string what, byte[] stream, ErrorCode code)
    {
        var e = Assert.Throws<PeerProtocolException>(() => ReadAll(NewReader(), new ReadOnlySequence<byte>(stream)));
        Assert.True(code == e.ErrorCode, $"{what}: expected {code}, got {e.ErrorCode} ({e.Message})");
        Assert.IsAssignableFrom<TorrentException>(e);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    public void Fast_messages_need_the_fast_extension(byte id)
    {
        var reader = NewReader();
        reader.FastExtension = false;
        byte[] frame = id switch
        {
            14 or 15 => Frame(1, id),
            16 => Block(id, 0, 0, 16384),
            _ => Index(id, 0),
        };
        Assert.Equal(ErrorCode.UnexpectedMessage, Assert.Throws<PeerProtocolException>(() => reader.TryRead(frame, out _, out _)).ErrorCode);
    }

    [Fact]
    public void Extended_messages_need_the_extension_protocol()
    {
        var reader = NewReader();
        reader.ExtensionProtocol = false;
        Assert.Equal(ErrorCode.UnexpectedMessage, Assert.Throws<PeerProtocolException>(() => reader.TryRead(Frame(2, 20, 0), out _, out _)).ErrorCode);
    }

    [Fact]
    public void Oversized_frames_are_refused_before_their_body_arrives()
    {
        var reader = NewReader();
        var header = Frame(9 + 16385, 7).AsMemory(0, 5);
        Assert.Equal(ErrorCode.MessageTooLarge, Assert.Throws<PeerProtocolException>(() => reader.TryRead(header, out _, out _)).ErrorCode);
        Assert.Equal(ErrorCode.InvalidMessage, Assert.Throws<PeerProtocolException>(() => NewReader().TryRead(Frame(14, 6).AsMemory(0, 5), out _, out _)).ErrorCode);
    }

    [Fact]
    public void Without_geometry_only_the_frame_is_checked_and_limits_are_configurable()
    {
        var reader = new PeerMessageReader(new PeerWireLimits { MaxRequestLength = 128 * 1024, MaxBlockLength = 32 * 1024 });
        Assert.Equal(-1, reader.PieceCount);
        Assert.True(reader.TryRead(Frame(5, 5, 0xFF, 0xFF, 0xFF, 0xFF), out var bitfield, out _));
        Assert.Equal(4, bitfield.Payload.Length);
        Assert.True(reader.TryRead(Block(6, 1_000_000, 0, 128 * 1024), out var request, out _));
        Assert.Equal(128 * 1024, request.Length);
        Assert.True(reader.TryRead(Piece(5, 0, 32 * 1024), out var piece, out _));
        Assert.Equal(32 * 1024, piece.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PeerMessageReader(new PeerWireLimits { MaxRequestLength = 256 * 1024 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PeerMessageReader(new PeerWireLimits { MaxBlockLength = 0 }));
    }

    [Fact]
    public void Hot_messages_read_and_write_without_allocating()
    {
        var reader = NewReader();
        var buffer = new byte[256 * 1024];
        var block = new byte[16384];
        int length = 0;
        for (int i = 0; i < 100; i++)
        {
            length += PeerMessageWriter.WriteHave(buffer.AsSpan(length), i % PieceCount);
            length += PeerMessageWriter.WriteRequest(buffer.AsSpan(length), 0, 0, 16384);
            if (i % 10 == 0)
            {
                length += PeerMessageWriter.WritePiece(buffer.AsSpan(length), 0, 0, block);
            }
        }

        var memory = buffer.AsMemory(0, length);
        Drain(reader, memory);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int count = Drain(reader, memory);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(210, count);
        Assert.Equal(0, after - before);

        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            PeerMessageWriter.WriteHave(buffer, i);
            PeerMessageWriter.WriteRequest(buffer, i, 0, 16384);
            PeerMessageWriter.WritePieceHeader(buffer, i, 0, 16384);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Writers_refuse_a_type_of_the_wrong_shape()
    {
        var buffer = new byte[32];
        Assert.Throws<ArgumentException>(() => PeerMessageWriter.WriteEmpty(buffer, PeerMessageType.Have));
        Assert.Throws<ArgumentException>(() => PeerMessageWriter.WriteIndex(buffer, PeerMessageType.Choke, 1));
        Assert.Throws<ArgumentException>(() => PeerMessageWriter.WriteBlock(buffer, PeerMessageType.Piece, 1, 2, 3));
    }

    private static int Drain(PeerMessageReader reader, ReadOnlyMemory<byte> memory)
    {
        var sequence = new ReadOnlySequence<byte>(memory);
        int count = 0;
        long sum = 0;
        while (reader.TryRead(ref sequence, out var message))
        {
            sum += message.Payload.FirstSpan.Length + message.Index;
            count++;
        }

        return sum >= 0 ? count : -1;
    }

    private static byte[] Frame(int length, byte id, params byte[] body)
    {
        var frame = new byte[5 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, length);
        frame[4] = id;
        body.CopyTo(frame, 5);
        return frame;
    }

    private static byte[] Index(byte id, int index)
    {
        var frame = Frame(5, id, 0, 0, 0, 0);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), index);
        return frame;
    }

    private static byte[] Block(byte id, int index, int begin, int length)
    {
        var frame = Frame(13, id, new byte[12]);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), index);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(9), begin);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(13), length);
        return frame;
    }

    private static byte[] Piece(int index, int begin, int length)
    {
        var frame = new byte[13 + length];
        PeerMessageWriter.WritePieceHeader(frame, index, begin, length);
        return frame;
    }
}
