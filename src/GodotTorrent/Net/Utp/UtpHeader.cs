using System.Buffers.Binary;

namespace GodotTorrent.Net.Utp;

/// <summary>
/// The 20-byte uTP header (BEP 29) and the selective-ACK extension. Parsing looks at each byte
/// once, skips unknown extensions and refuses anything that does not add up.
/// </summary>
internal readonly record struct UtpHeader(
    UtpPacketType Type,
    ushort ConnectionId,
    uint Timestamp,
    uint TimestampDifference,
    uint WindowSize,
    ushort SequenceNumber,
    ushort AckNumber)
{
    public const int Size = 20;
    public const byte Version = 1;

    /// <summary>Extension type of the selective ACK.</summary>
    public const byte SelectiveAckExtension = 1;

    /// <summary>
    /// Our own extension (type 0x47, two bytes): "I accept packets with this much payload". Sent
    /// in SYNs and the STATE that answers one; other implementations skip unknown extensions
    /// (BEP 29), and libtorrent drops datagrams over an Ethernet MTU, so only two peers that both
    /// say so use larger packets (loopback, jumbo frames).
    /// </summary>
    public const byte LargePacketExtension = 0x47;

    /// <summary>The payload size the sender accepts, from <see cref="LargePacketExtension"/> (0: not said).</summary>
    public ushort LargePackets { get; init; }

    /// <summary>More extensions than this in one packet is a malformed (or hostile) packet.</summary>
    private const int MaxExtensions = 8;

    /// <summary>The selective-ACK bitmask we accept and send at most: 32 bytes, 256 packets past the ack.</summary>
    public const int MaxSelectiveAckBytes = 32;

    /// <summary>
    /// Reads a packet's header; <paramref name="selectiveAck"/> is the bitmask when present (empty
    /// otherwise) and <paramref name="payloadOffset"/> where the data begins.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out UtpHeader header, out ReadOnlySpan<byte> selectiveAck, out int payloadOffset)
    {
        header = default;
        selectiveAck = default;
        payloadOffset = 0;
        if (packet.Length < Size || (packet[0] & 0x0F) != Version || (packet[0] >> 4) > (int)UtpPacketType.Syn)
        {
            return false;
        }

        header = new UtpHeader(
            (UtpPacketType)(packet[0] >> 4),
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[12..]),
            BinaryPrimitives.ReadUInt16BigEndian(packet[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(packet[18..]));

        byte extension = packet[1];
        int offset = Size;
        for (int count = 0; extension != 0; count++)
        {
            if (count == MaxExtensions || packet.Length - offset < 2)
            {
                return false;
            }

            byte next = packet[offset];
            int length = packet[offset + 1];
            offset += 2;
            if (packet.Length - offset < length)
            {
                return false;
            }

            if (extension == LargePacketExtension && length == 2)
            {
                header = header with { LargePackets = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]) };
            }
            else if (extension == SelectiveAckExtension)
            {
                // BEP 29: at least 32 bits, a multiple of 32 bits.
                if (length < 4 || length % 4 != 0 || !selectiveAck.IsEmpty)
                {
                    return false;
                }

                selectiveAck = packet.Slice(offset, Math.Min(length, MaxSelectiveAckBytes));
            }

            offset += length;
            extension = next;
        }

        payloadOffset = offset;
        return true;
    }

    /// <summary>The header's length with a selective ack of <paramref name="selectiveAckLength"/> bytes and <see cref="LargePackets"/>.</summary>
    public int Length(int selectiveAckLength) => Size + (selectiveAckLength > 0 ? 2 + selectiveAckLength : 0) + (LargePackets > 0 ? 4 : 0);

    /// <summary>Writes the header (and the selective ACK when given, then <see cref="LargePackets"/>); returns the bytes written.</summary>
    public int Write(Span<byte> destination, ReadOnlySpan<byte> selectiveAck = default)
    {
        destination[0] = (byte)(((int)Type << 4) | Version);
        destination[1] = !selectiveAck.IsEmpty ? SelectiveAckExtension : LargePackets > 0 ? LargePacketExtension : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], ConnectionId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], TimestampDifference);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], WindowSize);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], SequenceNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination[18..], AckNumber);
        int offset = Size;
        if (!selectiveAck.IsEmpty)
        {
            destination[offset] = LargePackets > 0 ? LargePacketExtension : (byte)0;
            destination[offset + 1] = (byte)selectiveAck.Length;
            selectiveAck.CopyTo(destination[(offset + 2)..]);
            offset += 2 + selectiveAck.Length;
        }

        if (LargePackets > 0)
        {
            destination[offset] = 0;
            destination[offset + 1] = 2;
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], LargePackets);
            offset += 4;
        }

        return offset;
    }
}
