using System.Buffers.Binary;
using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Nat.NatPmp;

/// <summary>NAT-PMP's wire format (RFC 6886 section 3): requests built, replies checked against the request they answer.</summary>
internal static class NatPmpMessage
{
    /// <summary>The port a NAT-PMP gateway listens on.</summary>
    public const int GatewayPort = 5351;

    /// <summary>Larger than any NAT-PMP or PCP message (PCP's limit is 1,100 bytes): a datagram this long is not a reply.</summary>
    public const int ReceiveBufferSize = 1101;

    public const byte OpExternalAddress = 0;

    private const byte Version = 0;
    private const byte OpMapUdp = 1;
    private const byte OpMapTcp = 2;
    private const byte ReplyBit = 128;
    private const int HeaderLength = 8;
    private const int ExternalAddressReplyLength = 12;
    private const int MapReplyLength = 16;

    public static byte MapOpcode(PortMappingTransport transport) => transport == PortMappingTransport.Tcp ? OpMapTcp : OpMapUdp;

    public static byte[] ExternalAddressRequest() => [Version, OpExternalAddress];

    /// <summary>A mapping request; a lifetime of 0 (and external port 0) removes the mapping (RFC 6886 3.4).</summary>
    public static byte[] MapRequest(PortMappingTransport transport, int internalPort, int suggestedExternalPort, uint lifetime)
    {
        var message = new byte[12];
        message[0] = Version;
        message[1] = MapOpcode(transport);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), (ushort)internalPort);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), (ushort)suggestedExternalPort);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), lifetime);
        return message;
    }

    /// <summary>
    /// Reads <paramref name="datagram"/> as the reply to a request of <paramref name="opcode"/> (for
    /// <paramref name="internalPort"/> when it is a mapping). Success replies must have their exact
    /// length; an error reply may stop after the 8-byte header (RFC 6886 3.5).
    /// </summary>
    public static NatPmpReplyKind Read(ReadOnlySpan<byte> datagram, byte opcode, int internalPort, out NatPmpReply reply)
    {
        reply = default;
        if (datagram.Length < HeaderLength || datagram.Length > MapReplyLength || datagram[0] != Version)
        {
            return NatPmpReplyKind.Malformed;
        }

        if (datagram[1] != ReplyBit + opcode)
        {
            return datagram[1] is >= ReplyBit + OpExternalAddress and <= ReplyBit + OpMapTcp ? NatPmpReplyKind.NotOurs : NatPmpReplyKind.Malformed;
        }

        int result = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        uint epoch = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        if (opcode == OpExternalAddress)
        {
            if (result == 0 && datagram.Length != ExternalAddressReplyLength)
            {
                return NatPmpReplyKind.Malformed;
            }

            var address = result == 0 ? new IPAddress(datagram.Slice(8, 4)) : null;
            reply = new NatPmpReply(result, epoch, address, 0, 0, 0);
            return NatPmpReplyKind.Ours;
        }

        if (result != 0 && datagram.Length == HeaderLength)
        {
            reply = new NatPmpReply(result, epoch, null, internalPort, 0, 0);
            return NatPmpReplyKind.Ours;
        }

        if (datagram.Length != MapReplyLength)
        {
            return NatPmpReplyKind.Malformed;
        }

        int replyInternal = BinaryPrimitives.ReadUInt16BigEndian(datagram[8..]);
        if (replyInternal != internalPort)
        {
            return NatPmpReplyKind.NotOurs;
        }

        reply = new NatPmpReply(result, epoch, null, replyInternal, BinaryPrimitives.ReadUInt16BigEndian(datagram[10..]), BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]));
        return NatPmpReplyKind.Ours;
    }

    /// <summary>The RFC's name for a result code (RFC 6886 3.5).</summary>
    public static string ResultName(int result) => result switch
    {
        1 => "Unsupported Version",
        2 => "Not Authorized/Refused",
        3 => "Network Failure",
        4 => "Out of resources",
        5 => "Unsupported opcode",
        _ => "unknown result code",
    } + $" (result code {result})";
}
