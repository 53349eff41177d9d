using System.Buffers.Binary;

namespace GodotTorrent.Net;

/// <summary>Cheap tests of what protocol a datagram on the shared UDP socket belongs to.</summary>
internal static class DatagramShape
{
    /// <summary>A bencoded dictionary, as every DHT message is (BEP 5).</summary>
    public static bool IsBencodedDictionary(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= 2 && datagram[0] == (byte)'d' && datagram[^1] == (byte)'e';

    /// <summary>A uTP packet (BEP 29): version 1 in the low nibble, type 0-4 in the high one, a 20-byte header.</summary>
    public static bool IsUtp(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= 20 && (datagram[0] & 0x0F) == 1 && (datagram[0] >> 4) <= 4;

    /// <summary>
    /// A UDP tracker reply (BEP 15): action 0-3 then the transaction id; returns the id so the
    /// tracker handler can check it asked.
    /// </summary>
    public static bool IsUdpTrackerReply(ReadOnlySpan<byte> datagram, out uint transactionId)
    {
        transactionId = 0;
        if (datagram.Length < 8 || BinaryPrimitives.ReadUInt32BigEndian(datagram) > 3)
        {
            return false;
        }

        transactionId = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        return true;
    }
}
