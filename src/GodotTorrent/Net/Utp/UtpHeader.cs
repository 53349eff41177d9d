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

            if (extension == SelectiveAckExtension)
            {
                // BEP 29 asks for a multiple of 32 bits, but libtorrent 2.0 sends whatever length
                // its bitmap needs (6 bytes seen): refusing those packets dropped its acks and
                // requests until the connection timed out. Any length of at least one byte reads.
                if (length < 1 || !selectiveAck.IsEmpty)
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

    /// <summary>The header's length with a selective ack of <paramref name="selectiveAckLength"/> bytes.</summary>
    public static int Length(int selectiveAckLength) => Size + (selectiveAckLength > 0 ? 2 + selectiveAckLength : 0);

    /// <summary>Writes the header (and the selective ACK when given); returns the bytes written.</summary>
    public int Write(Span<byte> destination, ReadOnlySpan<byte> selectiveAck = default)
    {
        destination[0] = (byte)(((int)Type << 4) | Version);
        destination[1] = selectiveAck.IsEmpty ? (byte)0 : SelectiveAckExtension;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], ConnectionId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], TimestampDifference);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], WindowSize);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], SequenceNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination[18..], AckNumber);
        if (selectiveAck.IsEmpty)
        {
            return Size;
        }

        destination[Size] = 0;
        destination[Size + 1] = (byte)selectiveAck.Length;
        selectiveAck.CopyTo(destination[(Size + 2)..]);
        return Size + 2 + selectiveAck.Length;
    }
}
