using System.Buffers;

namespace GodotTorrent.Net.Utp;

/// <summary>A packet we sent that the peer has not acked yet: its bytes (header space first), when it went out, how often.</summary>
internal sealed class UtpOutgoingPacket
{
    /// <summary>Header room: the 20-byte header plus a selective ack (2 + 32 bytes).</summary>
    public const int HeaderRoom = UtpHeader.Size + 2 + UtpHeader.MaxSelectiveAckBytes;

    private UtpOutgoingPacket(byte[] buffer) => Buffer = buffer;

    /// <summary>Payload at <see cref="HeaderRoom"/>; the header is written in front of it at each send.</summary>
    public byte[] Buffer { get; private set; }

    public UtpPacketType Type { get; private set; }

    public ushort Sequence { get; private set; }

    public int PayloadLength { get; private set; }

    public long SentAtMicros { get; set; }

    public int Transmissions { get; set; }

    /// <summary>Shorter than a full packet when cut (Nagle lets one such packet fly at a time).</summary>
    public bool IsSmall { get; set; }

    /// <summary>Lost (time-out or gap): send again when the window allows; not counted in flight meanwhile.</summary>
    public bool NeedsResend { get; set; }

    /// <summary>A packet with a pooled buffer, or <paramref name="reuse"/> (an acked packet of the same connection) made new.</summary>
    public static UtpOutgoingPacket Rent(UtpPacketType type, ushort sequence, int payloadLength, UtpOutgoingPacket? reuse = null)
    {
        var packet = reuse ?? new UtpOutgoingPacket(ArrayPool<byte>.Shared.Rent(HeaderRoom + payloadLength));
        if (packet.Buffer.Length < HeaderRoom + payloadLength)
        {
            ArrayPool<byte>.Shared.Return(packet.Buffer);
            packet.Buffer = ArrayPool<byte>.Shared.Rent(HeaderRoom + payloadLength);
        }

        packet.Type = type;
        packet.Sequence = sequence;
        packet.PayloadLength = payloadLength;
        packet.SentAtMicros = 0;
        packet.Transmissions = 0;
        packet.IsSmall = false;
        packet.NeedsResend = false;
        return packet;
    }

    public Span<byte> Payload => Buffer.AsSpan(HeaderRoom, PayloadLength);

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}
