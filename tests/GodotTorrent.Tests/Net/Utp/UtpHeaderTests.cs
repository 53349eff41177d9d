using GodotTorrent.Net;
using GodotTorrent.Net.Utp;

namespace GodotTorrent.Tests.Net.Utp;

public sealed class UtpHeaderTests
{
    [Fact]
    public void A_header_with_a_selective_ack_round_trips()
    {
        var header = new UtpHeader(UtpPacketType.State, 0xBEEF, 123456789, 987654, 1 << 20, 65535, 7);
        var buffer = new byte[64];
        byte[] mask = [0b0000_0101, 0, 0, 0x80];
        int length = header.Write(buffer, mask);
        Assert.Equal(20 + 2 + 4, length);
        Assert.True(DatagramShape.IsUtp(buffer.AsSpan(0, length)));

        Assert.True(UtpHeader.TryParse(buffer.AsSpan(0, length), out var parsed, out var sack, out int payload));
        Assert.Equal(header, parsed);
        Assert.Equal(mask, sack.ToArray());
        Assert.Equal(length, payload);
    }

    [Fact]
    public void The_wire_layout_is_bep_29s()
    {
        var buffer = new byte[20];
        new UtpHeader(UtpPacketType.Syn, 0x1234, 0x01020304, 0x05060708, 0x090A0B0C, 0x0D0E, 0x0F10).Write(buffer);
        Assert.Equal(new byte[] { 0x41, 0, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x0D, 0x0E, 0x0F, 0x10 }, buffer);
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x00 }, "too short")]
    [InlineData(new byte[] { 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "version 2")]
    [InlineData(new byte[] { 0x51, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "type 5")]
    [InlineData(new byte[] { 0x21, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "extension with no room")]
    [InlineData(new byte[] { 0x21, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 1, 2 }, "extension longer than the packet")]
    [InlineData(new byte[] { 0x21, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "empty selective ack")]
    [InlineData(new byte[] { 0x21, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 4, 1, 0, 0, 0, 0, 4, 1, 0, 0, 0 }, "two selective acks")]
    public void Malformed_packets_are_refused(byte[] packet, string why)
    {
        Assert.False(UtpHeader.TryParse(packet, out _, out _, out _), why);
    }

    [Fact]
    public void A_selective_ack_of_any_length_is_read_as_libtorrent_sends_it()
    {
        // A STATE packet libtorrent 2.0.8 sent (captured on loopback): a 6-byte bitmap, not a multiple of 4.
        byte[] packet = Convert.FromHexString("21014d6660defe9360ac73f4000eabb3403643d60006c0ffff3f0078");
        Assert.True(UtpHeader.TryParse(packet, out var header, out var sack, out int payload));
        Assert.Equal(UtpPacketType.State, header.Type);
        Assert.Equal(0x43d6, header.AckNumber);
        Assert.Equal(Convert.FromHexString("c0ffff3f0078"), sack.ToArray());
        Assert.Equal(packet.Length, payload);
    }

    [Fact]
    public void Unknown_extensions_are_skipped_and_a_chain_has_a_limit()
    {
        // Extension 7 (unknown, 2 bytes) then the selective ack, then 3 bytes of payload.
        byte[] packet = [0x01, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 9, 9, 0, 4, 1, 0, 0, 0, 0xAA, 0xBB, 0xCC];
        Assert.True(UtpHeader.TryParse(packet, out var header, out var sack, out int payload));
        Assert.Equal(UtpPacketType.Data, header.Type);
        Assert.Equal(new byte[] { 1, 0, 0, 0 }, sack.ToArray());
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC }, packet[payload..]);

        // Nine extensions chained: refused rather than walked.
        var chain = new List<byte> { 0x01, 7 };
        chain.AddRange(new byte[18]);
        for (int i = 0; i < 9; i++)
        {
            chain.AddRange(new byte[] { 7, 0 });
        }

        Assert.False(UtpHeader.TryParse(chain.ToArray(), out _, out _, out _));
    }

    [Fact]
    public void Random_datagrams_never_throw()
    {
        var random = new Random(29);
        var buffer = new byte[200];
        int parsed = 0;
        for (int i = 0; i < 100_000; i++)
        {
            int length = random.Next(0, buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            buffer[0] = (byte)((buffer[0] & 0xF0) | 1);
            if (UtpHeader.TryParse(buffer.AsSpan(0, length), out _, out var sack, out int payload))
            {
                parsed++;
                Assert.InRange(payload, 20, length);
                Assert.InRange(sack.Length, 0, UtpHeader.MaxSelectiveAckBytes);
            }
        }

        Assert.InRange(parsed, 1, 100_000);
    }

    [Theory]
    [InlineData(65535, 0, 1)]
    [InlineData(65530, 5, 11)]
    [InlineData(10, 10, 0)]
    public void Sequence_numbers_wrap(int earlier, int later, int distance)
    {
        Assert.Equal(distance, UtpSequence.Distance((ushort)earlier, (ushort)later));
        Assert.Equal(distance != 0, UtpSequence.Before((ushort)earlier, (ushort)later));
        Assert.False(UtpSequence.Before((ushort)later, (ushort)earlier));
    }
}
