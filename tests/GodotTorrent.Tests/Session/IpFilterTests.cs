using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

public class IpFilterTests
{
    [Fact]
    public void Rules_accumulate_and_the_later_rule_wins()
    {
        var filter = IpFilter.Empty.Add("10.0.0.0/8", blocked: true).Add("10.1.0.0-10.1.255.255", blocked: false).Add("10.1.2.3", blocked: true);

        Assert.Equal(3, filter.Rules.Count);
        Assert.True(filter.IsBlocked(IPAddress.Parse("10.200.0.1")));
        Assert.False(filter.IsBlocked(IPAddress.Parse("10.1.9.9")));
        Assert.True(filter.IsBlocked(IPAddress.Parse("10.1.2.3")));
        Assert.False(filter.IsBlocked(IPAddress.Parse("11.0.0.1")));
        Assert.False(IpFilter.Empty.IsBlocked(IPAddress.Parse("10.1.2.3")));
    }

    [Fact]
    public void Ipv6_and_mapped_addresses_are_filtered()
    {
        var filter = IpFilter.Empty.Add("fd00::/8", blocked: true).Add("192.168.0.0/16", blocked: true);

        Assert.True(filter.IsBlocked(IPAddress.Parse("fd12::1")));
        Assert.False(filter.IsBlocked(IPAddress.Parse("fe80::1")));
        Assert.True(filter.IsBlocked(IPAddress.Parse("::ffff:192.168.1.1")));
        Assert.False(filter.IsBlocked(IPAddress.Parse("::1")));
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.9-10.0.0.1")]
    [InlineData("10.0.0.1-::1")]
    public void Bad_rules_are_rejected(string rule)
    {
        var error = Assert.Throws<TorrentException>(() => IpFilter.Empty.Add(rule, blocked: true));
        Assert.Equal(ErrorCode.InvalidArgument, error.ErrorCode);
    }
}
