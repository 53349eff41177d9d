using System.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Wire;

public class AllowedFastSetTests
{
    private static readonly byte[] InfoHash = Enumerable.Repeat((byte)0xAA, 20).ToArray();

    [Theory]
    [InlineData(7, new[] { 1059, 431, 808, 1217, 287, 376, 1188 })]
    [InlineData(9, new[] { 1059, 431, 808, 1217, 287, 376, 1188, 353, 508 })]
    public void Matches_the_bep6_test_vector(int k, int[] expected)
    {
        var set = new int[16];
        int n = AllowedFastSet.Generate(IPAddress.Parse("80.4.4.200"), InfoHash, 1313, k, set);
        Assert.Equal(expected, set[..n]);

        // Same /24, same set; IPv4-mapped IPv6 is the same peer.
        n = AllowedFastSet.Generate(IPAddress.Parse("80.4.4.1"), InfoHash, 1313, k, set);
        Assert.Equal(expected, set[..n]);
        n = AllowedFastSet.Generate(IPAddress.Parse("::ffff:80.4.4.200"), InfoHash, 1313, k, set);
        Assert.Equal(expected, set[..n]);
    }

    [Fact]
    public void Is_bounded_by_the_piece_count_the_limit_and_the_destination()
    {
        var set = new int[AllowedFastSet.MaxCount + 10];
        Assert.Equal(3, AllowedFastSet.Generate(IPAddress.Loopback, InfoHash, 3, 10, set));
        Assert.Equal([0, 1, 2], set[..3].Order());
        Assert.Equal(AllowedFastSet.MaxCount, AllowedFastSet.Generate(IPAddress.Loopback, InfoHash, 100_000, 10_000, set));
        Assert.Equal(4, AllowedFastSet.Generate(IPAddress.Loopback, InfoHash, 100, 10, set.AsSpan(0, 4)));
        Assert.Equal(0, AllowedFastSet.Generate(IPAddress.Loopback, InfoHash, 0, 10, set));
        Assert.Throws<ArgumentException>(() => AllowedFastSet.Generate(IPAddress.Loopback, new byte[32], 10, 10, set));
    }

    [Fact]
    public void Ipv6_peers_in_one_slash_48_share_a_set()
    {
        var a = new int[10];
        var b = new int[10];
        AllowedFastSet.Generate(IPAddress.Parse("2001:db8:1::1"), InfoHash, 5000, 10, a);
        AllowedFastSet.Generate(IPAddress.Parse("2001:db8:1:ffff::2"), InfoHash, 5000, 10, b);
        Assert.Equal(a, b);
        Assert.Equal(10, a.Distinct().Count());
    }
}
