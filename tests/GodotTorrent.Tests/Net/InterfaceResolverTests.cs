using System.Net;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Net;

/// <summary>Listen and outgoing entries resolved against a given list of interfaces.</summary>
public sealed class InterfaceResolverTests
{
    private static readonly IPAddress LanV4 = IPAddress.Parse("192.168.1.5");
    private static readonly IPAddress LanV6 = IPAddress.Parse("fd00::5");
    private static readonly IPAddress WanV4 = IPAddress.Parse("10.9.0.2");

    private static readonly IReadOnlyList<LocalInterface> Machine =
    [
        new("lo", [IPAddress.Loopback, IPAddress.IPv6Loopback]),
        new("eth0", [LanV4, LanV6]),
        new("tun0", [WanV4]),
        new("down0", []),
    ];

    [Fact]
    public void A_name_means_every_address_of_that_interface_with_the_entry_port()
    {
        var targets = InterfaceResolver.Listen(["eth0:6881", "tun0"], Machine, ipv6: true);

        Assert.Equal(
            [new ListenTarget(LanV4, 6881, "eth0"), new ListenTarget(LanV6, 6881, "eth0"), new ListenTarget(WanV4, null, "tun0")],
            targets);
    }

    [Fact]
    public void Addresses_are_taken_as_given_and_duplicates_listened_on_once()
    {
        var targets = InterfaceResolver.Listen(["127.0.0.1", "lo", "[::1]:7000", "0.0.0.0:0"], Machine, ipv6: true);

        Assert.Equal(
            [new ListenTarget(IPAddress.Loopback, null), new ListenTarget(IPAddress.IPv6Loopback, null, "lo"), new ListenTarget(IPAddress.IPv6Loopback, 7000), new ListenTarget(IPAddress.Any, 0)],
            targets);
    }

    [Fact]
    public void IPv6_off_leaves_out_IPv6_addresses_of_names_and_entries()
    {
        var targets = InterfaceResolver.Listen(["eth0", "::1"], Machine, ipv6: false);

        Assert.Equal([new ListenTarget(LanV4, null, "eth0")], targets);
    }

    [Fact]
    public void A_missing_name_or_one_without_address_comes_back_with_the_reason()
    {
        var targets = InterfaceResolver.Listen(["nosuchif0:6000", "down0", "lo"], Machine, ipv6: true);

        Assert.Equal(4, targets.Count);
        Assert.Equal((null, 6000, "nosuchif0"), (targets[0].Address, targets[0].Port, targets[0].InterfaceName));
        Assert.Contains("no network interface named 'nosuchif0'", targets[0].Failure, StringComparison.Ordinal);
        Assert.Equal((null, "down0"), (targets[1].Address, targets[1].InterfaceName));
        Assert.Contains("has no IPv4 or IPv6 address", targets[1].Failure, StringComparison.Ordinal);
        Assert.All(targets.Skip(2), t => Assert.Equal("lo", t.InterfaceName));
    }

    [Fact]
    public void Names_are_matched_exactly()
    {
        var targets = InterfaceResolver.Listen(["ETH0"], Machine, ipv6: true);

        Assert.Null(Assert.Single(targets).Address);
    }

    [Fact]
    public void Outgoing_entries_give_addresses_in_order_and_name_what_resolved_to_nothing()
    {
        var unresolved = new List<string>();

        var addresses = InterfaceResolver.Outgoing(["tun0", "nosuchif0", "down0", "eth0", "127.0.0.2"], Machine, unresolved);

        Assert.Equal([WanV4, LanV4, LanV6, IPAddress.Parse("127.0.0.2")], addresses);
        Assert.Equal(["nosuchif0", "down0"], unresolved);
    }
}
