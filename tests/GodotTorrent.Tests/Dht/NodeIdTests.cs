using System.Net;
using GodotTorrent.Dht;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Dht;

/// <summary>Node ids: XOR distance, shared prefixes, ids in a bucket, and BEP 42's ids from addresses.</summary>
public sealed class NodeIdTests
{
    [Theory]
    [InlineData("124.31.75.21", 1, "5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401")]
    [InlineData("21.75.31.124", 86, "5a3ce9c14e7a08645677bbd1cfe7d8f956d53256")]
    [InlineData("65.23.51.170", 22, "a5d43220bc8f112a3d426c84764f8c2a1150e616")]
    [InlineData("84.124.73.14", 65, "1b0321dd1bb1fe518101ceef99462b947a01ff41")]
    [InlineData("43.213.53.83", 90, "e56f6cbf5b7c4be0237986d5243b87aa6d51305a")]
    public void BEP_42_test_vectors(string ip, int rand, string example)
    {
        var address = IPAddress.Parse(ip);
        var expected = Convert.FromHexString(example);
        var id = NodeIdSecurity.Generate(address, (byte)rand, new Random(1)).ToArray();
        Assert.Equal(expected[..2], id[..2]);
        Assert.Equal(expected[2] & 0xF8, id[2] & 0xF8);
        Assert.Equal(rand, id[19]);
        Assert.True(NodeIdSecurity.IsValid(new Id20(expected), address));

        expected[1] ^= 0x10;
        Assert.False(NodeIdSecurity.IsValid(new Id20(expected), address));
    }

    [Fact]
    public void Local_addresses_are_exempt_from_BEP_42_and_IPv6_ids_check_out()
    {
        var any = new Id20(new byte[20]);
        Assert.True(NodeIdSecurity.IsValid(any, IPAddress.Parse("192.168.1.5")));
        Assert.True(NodeIdSecurity.IsValid(any, IPAddress.Loopback));
        Assert.False(NodeIdSecurity.IsValid(any, IPAddress.Parse("8.8.8.8")));
        var v6 = IPAddress.Parse("2001:db8::1");
        Assert.True(NodeIdSecurity.IsValid(NodeIdSecurity.Generate(v6, new Random(2)), v6));
        Assert.False(NodeIdSecurity.IsValid(NodeIdSecurity.Generate(v6, new Random(2)), IPAddress.Parse("2a00:1450::1")));
    }

    [Fact]
    public void Crc32c_has_its_check_value() => Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    [Fact]
    public void Distances_compare_as_numbers_and_ids_land_in_the_bucket_asked_for()
    {
        var zero = new Id20(new byte[20]);
        var low = new byte[20];
        low[19] = 1;
        var high = new byte[20];
        high[0] = 0x80;
        Assert.True(NodeDistance.Between(zero, new Id20(low)) < NodeDistance.Between(zero, new Id20(high)));
        Assert.Equal(159, NodeIds.CommonPrefix(zero, new Id20(low)));
        Assert.Equal(0, NodeIds.CommonPrefix(zero, new Id20(high)));
        Assert.Equal(160, NodeIds.CommonPrefix(zero, zero));
        Assert.True(NodeIds.CompareDistance(new Id20(high), new Id20(high), zero) < 0);

        var random = new Random(3);
        var own = NodeIds.Random(random);
        for (int prefix = 0; prefix < NodeIds.Bits; prefix++)
        {
            Assert.Equal(prefix, NodeIds.CommonPrefix(own, NodeIds.RandomWithPrefix(own, prefix, random)));
        }
    }
}
