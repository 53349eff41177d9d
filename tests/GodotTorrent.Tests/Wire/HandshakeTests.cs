using System.Text;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Wire;

public class HandshakeTests
{
    private static byte[] Vector()
    {
        var bytes = new List<byte> { 19 };
        bytes.AddRange(Encoding.ASCII.GetBytes("BitTorrent protocol"));
        bytes.AddRange(new byte[] { 0, 0, 0, 0, 0, 0x10, 0, 0x05 });
        bytes.AddRange(Enumerable.Range(1, 20).Select(i => (byte)i));
        bytes.AddRange(Encoding.ASCII.GetBytes("-LT2080-abcdefghijkl"));
        return [.. bytes];
    }

    [Fact]
    public void Parses_a_libtorrent_handshake_with_extension_fast_and_dht_bits()
    {
        var handshake = Handshake.Parse(Vector());
        Assert.True(handshake.Reserved.ExtensionProtocol);
        Assert.True(handshake.Reserved.FastExtension);
        Assert.True(handshake.Reserved.Dht);
        Assert.False(handshake.Reserved.V2Upgrade);
        Assert.True(handshake.InfoHash.Equals(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray()));
        Assert.Equal("-LT2080-abcdefghijkl", Encoding.ASCII.GetString(handshake.PeerId.ToArray()));
        Assert.Equal("libtorrent 2.0.8", handshake.PeerId.ClientName);
    }

    [Fact]
    public void Writes_the_same_68_bytes_it_parses()
    {
        var vector = Vector();
        var buffer = new byte[80];
        Assert.Equal(68, Handshake.Parse(vector).WriteTo(buffer));
        Assert.Equal(vector, buffer[..68]);

        var ours = Handshake.Create(HandshakeReserved.Create(true, true, false, v2Upgrade: true), new byte[20], PeerId.Generate());
        ours.WriteTo(buffer);
        Assert.Equal(ours, Handshake.Parse(buffer));
        Assert.Equal(0x10, buffer[25]);
        Assert.Equal(0x14, buffer[27]);
    }

    [Theory]
    [InlineData(5, 0x10, true, false, false, false)]
    [InlineData(7, 0x04, false, true, false, false)]
    [InlineData(7, 0x01, false, false, true, false)]
    [InlineData(7, 0x10, false, false, false, true)]
    [InlineData(0, 0x80, false, false, false, false)]
    public void Each_reserved_bit_means_one_extension(int index, int mask, bool extension, bool fast, bool dht, bool v2)
    {
        var vector = Vector();
        vector.AsSpan(20, 8).Clear();
        vector[20 + index] = (byte)mask;
        var reserved = Handshake.Parse(vector).Reserved;
        Assert.Equal((extension, fast, dht, v2), (reserved.ExtensionProtocol, reserved.FastExtension, reserved.Dht, reserved.V2Upgrade));
        Assert.Equal(reserved, reserved.Intersect(new HandshakeReserved(ulong.MaxValue)));
        Assert.Equal(0UL, reserved.Intersect(default).Value);
    }

    [Theory]
    [InlineData(0, 18)]
    [InlineData(0, 20)]
    [InlineData(1, (byte)'b')]
    [InlineData(19, (byte)'L')]
    public void A_wrong_protocol_name_is_an_invalid_handshake(int index, byte value)
    {
        var vector = Vector();
        vector[index] = value;
        var e = Assert.Throws<PeerProtocolException>(() => Handshake.Parse(vector));
        Assert.Equal(ErrorCode.InvalidHandshake, e.ErrorCode);
    }

    [Fact]
    public void Short_input_is_an_invalid_handshake_and_the_header_parses_alone()
    {
        var vector = Vector();
        Assert.Equal(ErrorCode.InvalidHandshake, Assert.Throws<PeerProtocolException>(() => Handshake.Parse(vector.AsSpan(0, 67))).ErrorCode);
        Assert.Equal(ErrorCode.InvalidHandshake, Assert.Throws<PeerProtocolException>(() => Handshake.ParseHeader(vector.AsSpan(0, 47), out _, out _)).ErrorCode);
        Handshake.ParseHeader(vector.AsSpan(0, Handshake.HeaderLength), out var reserved, out var infoHash);
        Assert.True(reserved.FastExtension);
        Assert.Equal(Handshake.Parse(vector).InfoHash, infoHash);
    }
}
