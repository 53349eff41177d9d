using System.Buffers;

namespace GodotTorrent.Net.Utp;

/// <summary>A packet we sent that the peer has not acked yet: its bytes (header space first), when it went out, how often.</summary>
internal sealed class UtpOutgoingPacket
{
    /// <summary>Header room: the 20-byte header plus a selective ack (2 + 32 bytes).</summary>
    public const int HeaderRoom = UtpHeader.Size + 2 + UtpHeader.MaxSelectiveAckBytes;

    private UtpOutgoingPacket(byte[] buffer, UtpPacketType type, ushort sequence, int payloadLength)
    {
        Buffer = buffer;
        Type = type;
        Sequence = sequence;
        PayloadLength = payloadLength;
    }

    /// <summary>Payload at <see cref="HeaderRoom"/>; the header is written in front of it at each send.</summary>
    public byte[] Buffer { get; }

    public UtpPacketType Type { get; }

    public ushort Sequence { get; }

    public int PayloadLength { get; }

    public long SentAtMicros { get; set; }

    public int Transmissions { get; set; }

    /// <summary>Shorter than a full packet when cut (Nagle lets one such packet fly at a time).</summary>
    public bool IsSmall { get; set; }

    /// <summary>Lost (time-out or gap): send again when the window allows; not counted in flight meanwhile.</summary>
    public bool NeedsResend { get; set; }

    public static UtpOutgoingPacket Rent(UtpPacketType type, ushort sequence, int payloadLength) =>
        new(ArrayPool<byte>.Shared.Rent(HeaderRoom + payloadLength), type, sequence, payloadLength);

    public Span<byte> Payload => Buffer.AsSpan(HeaderRoom, PayloadLength);

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}
