using System.Buffers;
using System.Buffers.Binary;

namespace GodotTorrent.Wire;

/// <summary>
/// Writes peer messages (BEP 3, BEP 6, BEP 10) with their length prefix into a span, returning
/// the bytes written, or into an <see cref="IBufferWriter{T}"/>. Nothing allocates. A piece is
/// best sent as <see cref="WritePieceHeader(Span{byte}, int, int, int)"/> plus the block itself
/// in one scatter-gather send, so the block is never copied.
/// </summary>
internal static class PeerMessageWriter
{
    /// <summary>Bytes of a keep-alive.</summary>
    public const int KeepAliveLength = 4;

    /// <summary>Bytes of a message with no payload (choke, unchoke, interested, not interested, have all, have none).</summary>
    public const int EmptyMessageLength = 5;

    /// <summary>Bytes of have, suggest and allowed fast.</summary>
    public const int IndexMessageLength = 9;

    /// <summary>Bytes of request, cancel and reject.</summary>
    public const int BlockMessageLength = 17;

    /// <summary>Bytes of a port message.</summary>
    public const int PortMessageLength = 7;

    /// <summary>Bytes of a piece message before its block.</summary>
    public const int PieceHeaderLength = 13;

    /// <summary>Bytes of an extended message before its payload (length, id 20, extended id).</summary>
    public const int ExtendedHeaderLength = 6;

    /// <summary>Writes a keep-alive (a zero length prefix).</summary>
    public static int WriteKeepAlive(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, 0);
        return KeepAliveLength;
    }

    /// <summary>Writes choke, unchoke, interested, not interested, have all or have none.</summary>
    /// <exception cref="ArgumentException"><paramref name="type"/> is a message that has a payload.</exception>
    public static int WriteEmpty(Span<byte> destination, PeerMessageType type)
    {
        if (type is not (PeerMessageType.Choke or PeerMessageType.Unchoke or PeerMessageType.Interested or PeerMessageType.NotInterested
            or PeerMessageType.HaveAll or PeerMessageType.HaveNone))
        {
            throw new ArgumentException($"{type} is not a message without payload.", nameof(type));
        }

        WriteHeader(destination, 1, type);
        return EmptyMessageLength;
    }

    /// <summary>Writes have, suggest or allowed fast for piece <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="type"/> is not one of those.</exception>
    public static int WriteIndex(Span<byte> destination, PeerMessageType type, int index)
    {
        if (type is not (PeerMessageType.Have or PeerMessageType.Suggest or PeerMessageType.AllowedFast))
        {
            throw new ArgumentException($"{type} is not a message with a piece index only.", nameof(type));
        }

        WriteHeader(destination, 5, type);
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], index);
        return IndexMessageLength;
    }

    /// <summary>Writes a have message.</summary>
    public static int WriteHave(Span<byte> destination, int index) => WriteIndex(destination, PeerMessageType.Have, index);

    /// <summary>Writes request, cancel or reject for the block at <paramref name="begin"/> of piece <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="type"/> is not one of those.</exception>
    public static int WriteBlock(Span<byte> destination, PeerMessageType type, int index, int begin, int length)
    {
        if (type is not (PeerMessageType.Request or PeerMessageType.Cancel or PeerMessageType.Reject))
        {
            throw new ArgumentException($"{type} is not a block message.", nameof(type));
        }

        WriteHeader(destination, 13, type);
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], index);
        BinaryPrimitives.WriteInt32BigEndian(destination[9..], begin);
        BinaryPrimitives.WriteInt32BigEndian(destination[13..], length);
        return BlockMessageLength;
    }

    /// <summary>Writes a request message.</summary>
    public static int WriteRequest(Span<byte> destination, int index, int begin, int length) =>
        WriteBlock(destination, PeerMessageType.Request, index, begin, length);

    /// <summary>Writes the 13 bytes that precede a block of <paramref name="blockLength"/> bytes in a piece message.</summary>
    public static int WritePieceHeader(Span<byte> destination, int index, int begin, int blockLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blockLength);
        WriteHeader(destination, 9 + blockLength, PeerMessageType.Piece);
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], index);
        BinaryPrimitives.WriteInt32BigEndian(destination[9..], begin);
        return PieceHeaderLength;
    }

    /// <summary>Writes a whole piece message, header and block.</summary>
    public static int WritePiece(Span<byte> destination, int index, int begin, ReadOnlySpan<byte> block)
    {
        int header = WritePieceHeader(destination, index, begin, block.Length);
        block.CopyTo(destination[header..]);
        return header + block.Length;
    }

    /// <summary>Writes a bitfield message from its wire bytes.</summary>
    public static int WriteBitfield(Span<byte> destination, ReadOnlySpan<byte> bits)
    {
        WriteHeader(destination, 1 + bits.Length, PeerMessageType.Bitfield);
        bits.CopyTo(destination[5..]);
        return 5 + bits.Length;
    }

    /// <summary>Writes a bitfield message for <paramref name="bitfield"/>.</summary>
    public static int WriteBitfield(Span<byte> destination, Bitfield bitfield)
    {
        WriteHeader(destination, 1 + bitfield.ByteLength, PeerMessageType.Bitfield);
        bitfield.CopyTo(destination[5..]);
        return 5 + bitfield.ByteLength;
    }

    /// <summary>Writes a port message announcing our DHT port (BEP 5).</summary>
    public static int WritePort(Span<byte> destination, ushort port)
    {
        WriteHeader(destination, 3, PeerMessageType.Port);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], port);
        return PortMessageLength;
    }

    /// <summary>Writes the 6 bytes that precede an extended message's payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int WriteExtendedHeader(Span<byte> destination, byte extendedId, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        WriteHeader(destination, 2 + payloadLength, PeerMessageType.Extended);
        destination[5] = extendedId;
        return ExtendedHeaderLength;
    }

    /// <summary>Writes a whole extended message (BEP 10): id 20, <paramref name="extendedId"/>, then the payload.</summary>
    public static int WriteExtended(Span<byte> destination, byte extendedId, ReadOnlySpan<byte> payload)
    {
        int header = WriteExtendedHeader(destination, extendedId, payload.Length);
        payload.CopyTo(destination[header..]);
        return header + payload.Length;
    }

    /// <summary>Appends a keep-alive.</summary>
    public static void WriteKeepAlive(IBufferWriter<byte> output) => output.Advance(WriteKeepAlive(output.GetSpan(KeepAliveLength)));

    /// <summary>Appends a message without payload.</summary>
    public static void WriteEmpty(IBufferWriter<byte> output, PeerMessageType type) => output.Advance(WriteEmpty(output.GetSpan(EmptyMessageLength), type));

    /// <summary>Appends have, suggest or allowed fast.</summary>
    public static void WriteIndex(IBufferWriter<byte> output, PeerMessageType type, int index) => output.Advance(WriteIndex(output.GetSpan(IndexMessageLength), type, index));

    /// <summary>Appends request, cancel or reject.</summary>
    public static void WriteBlock(IBufferWriter<byte> output, PeerMessageType type, int index, int begin, int length) =>
        output.Advance(WriteBlock(output.GetSpan(BlockMessageLength), type, index, begin, length));

    /// <summary>Appends a piece message's 13-byte header.</summary>
    public static void WritePieceHeader(IBufferWriter<byte> output, int index, int begin, int blockLength) =>
        output.Advance(WritePieceHeader(output.GetSpan(PieceHeaderLength), index, begin, blockLength));

    /// <summary>Appends a whole piece message.</summary>
    public static void WritePiece(IBufferWriter<byte> output, int index, int begin, ReadOnlySpan<byte> block) =>
        output.Advance(WritePiece(output.GetSpan(PieceHeaderLength + block.Length), index, begin, block));

    /// <summary>
    /// Appends one piece message per block of <paramref name="data"/>, which starts at
    /// <paramref name="begin"/> in piece <paramref name="index"/>: blocks of <paramref name="blockLength"/>
    /// bytes, the last one whatever remains. One span for all of them, so a run costs one copy.
    /// </summary>
    public static void WritePieces(IBufferWriter<byte> output, int index, int begin, int blockLength, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockLength);
        int count = (data.Length + blockLength - 1) / blockLength;
        var destination = output.GetSpan((count * PieceHeaderLength) + data.Length);
        int written = 0;
        for (int position = 0; position < data.Length; position += blockLength)
        {
            var block = data.Slice(position, Math.Min(blockLength, data.Length - position));
            written += WritePiece(destination[written..], index, begin + position, block);
        }

        output.Advance(written);
    }

    /// <summary>Appends a bitfield message.</summary>
    public static void WriteBitfield(IBufferWriter<byte> output, Bitfield bitfield) =>
        output.Advance(WriteBitfield(output.GetSpan(5 + bitfield.ByteLength), bitfield));

    /// <summary>Appends a port message.</summary>
    public static void WritePort(IBufferWriter<byte> output, ushort port) => output.Advance(WritePort(output.GetSpan(PortMessageLength), port));

    /// <summary>Appends an extended message.</summary>
    public static void WriteExtended(IBufferWriter<byte> output, byte extendedId, ReadOnlySpan<byte> payload) =>
        output.Advance(WriteExtended(output.GetSpan(ExtendedHeaderLength + payload.Length), extendedId, payload));

    /// <summary>
    /// Appends a hash request or hash reject (just the fields), or a hashes message (the fields,
    /// then <paramref name="hashes"/>: the nodes and their uncles), BEP 52.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="type"/> is not one of those, or a request or reject carries hashes.</exception>
    public static void WriteHashMessage(IBufferWriter<byte> output, PeerMessageType type, in HashRequest request, ReadOnlySpan<byte> hashes)
    {
        if (type is not (PeerMessageType.HashRequest or PeerMessageType.Hashes or PeerMessageType.HashReject) || (type != PeerMessageType.Hashes && !hashes.IsEmpty))
        {
            throw new ArgumentException($"{type} is not a hash message, or carries hashes it may not.", nameof(type));
        }

        int length = 5 + HashRequest.EncodedLength + hashes.Length;
        var span = output.GetSpan(length);
        WriteHeader(span, length - 4, type);
        request.WriteTo(span[5..]);
        hashes.CopyTo(span[(5 + HashRequest.EncodedLength)..]);
        output.Advance(length);
    }

    private static void WriteHeader(Span<byte> destination, int length, PeerMessageType type)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, length);
        destination[4] = (byte)type;
    }
}
