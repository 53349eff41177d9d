using System.Net;
using GodotTorrent.Nat.NatPmp;

namespace GodotTorrent.Tests.Nat;

/// <summary>Reading the default gateway out of Linux's /proc/net/route text.</summary>
public class NatPmpDefaultGatewayTests
{
    private const string Header = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

    [Fact]
    public void The_default_route_with_the_lowest_metric_gives_the_gateway()
    {
        string table = Header
            + "eth0\t0000A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n" // the LAN, no gateway
            + "wlan0\t00000000\t0102A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n" // default via 192.168.2.1, metric 600
            + "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n" // default via 192.168.1.1, metric 100
            + "eth1\t0000000A\t0100000A\t0003\t0\t0\t0\t000000FF\t0\t0\t0\n"; // 10.0.0.0/8 via 10.0.0.1: not default

        Assert.Equal(IPAddress.Parse("192.168.1.1"), DefaultGateway.ParseRouteTable(table));
    }

    [Theory]
    [InlineData("")]
    [InlineData(Header)]
    [InlineData(Header + "eth0\t00000000\t0101A8C0\t0001\t0\t0\t100\t00000000\t0\t0\t0\n")] // not flagged as via a gateway
    [InlineData(Header + "eth0\t00000000\t0101A8C0\t0002\t0\t0\t100\t00000000\t0\t0\t0\n")] // not up
    [InlineData(Header + "eth0\t00000000\t00000000\t0003\t0\t0\t100\t00000000\t0\t0\t0\n")] // gateway 0.0.0.0
    [InlineData(Header + "eth0\t00000000\tZZZZ\t0003\t0\t0\t100\t00000000\n")] // not hex
    [InlineData(Header + "eth0\t00000000\t0101A8C0\n")] // too few fields
    public void No_usable_default_route_is_no_gateway(string table)
    {
        Assert.Null(DefaultGateway.ParseRouteTable(table));
    }

    [Fact]
    public void Only_the_first_1024_routes_are_read()
    {
        const string Lan = "eth0\t0000A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";
        const string Default = "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";

        Assert.Equal(IPAddress.Parse("192.168.1.1"), DefaultGateway.ParseRouteTable(Header + string.Concat(Enumerable.Repeat(Lan, 1023)) + Default));
        Assert.Null(DefaultGateway.ParseRouteTable(Header + string.Concat(Enumerable.Repeat(Lan, 1024)) + Default));
    }
}
