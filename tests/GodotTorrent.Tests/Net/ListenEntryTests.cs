using System.Net;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Net;

/// <summary>The forms of libtorrent's listen_interfaces and outgoing_interfaces entries.</summary>
public sealed class ListenEntryTests
{
    [Theory]
    [InlineData("eth0", "eth0", null, null)]
    [InlineData("eth0:6881", "eth0", null, 6881)]
    [InlineData("lo:0", "lo", null, 0)]
    [InlineData("192.168.1.5", null, "192.168.1.5", null)]
    [InlineData("192.168.1.5:6881", null, "192.168.1.5", 6881)]
    [InlineData("0.0.0.0", null, "0.0.0.0", null)]
    [InlineData("[::1]:6881", null, "::1", 6881)]
    [InlineData("[::1]", null, "::1", null)]
    [InlineData("::1", null, "::1", null)]
    [InlineData("fd00::2", null, "fd00::2", null)]
    [InlineData("1234", "1234", null, null)]
    [InlineData("Ethernet 2", "Ethernet 2", null, null)]
    [InlineData("wlan0.100:51413", "wlan0.100", null, 51413)]
    public void Each_form_reads_as_a_name_or_an_address_with_an_optional_port(string text, string? name, string? address, int? port)
    {
        var entry = ListenEntry.Parse(text, allowPort: true, out string? error);

        Assert.Null(error);
        Assert.NotNull(entry);
        Assert.Equal(name, entry.InterfaceName);
        Assert.Equal(address is null ? null : IPAddress.Parse(address), entry.Address);
        Assert.Equal(port, entry.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" eth0")]
    [InlineData("eth0 ")]
    [InlineData("eth0:")]
    [InlineData("eth0:65536")]
    [InlineData("eth0:-1")]
    [InlineData("eth0:6881s")]
    [InlineData(":6881")]
    [InlineData("[::1")]
    [InlineData("[::1]6881")]
    [InlineData("[127.0.0.1]:6881")]
    [InlineData("[eth0]:6881")]
    [InlineData("a/b")]
    [InlineData("eth0,eth1")]
    public void Malformed_entries_are_refused_with_a_reason(string text)
    {
        Assert.Null(ListenEntry.Parse(text, allowPort: true, out string? error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_outgoing_entry_takes_no_port()
    {
        Assert.Null(ListenEntry.Parse("eth0:6881", allowPort: false, out string? error));
        Assert.Contains("has a port", error, StringComparison.Ordinal);
        Assert.Equal("eth0", ListenEntry.Parse("eth0", allowPort: false, out _)!.InterfaceName);
        Assert.Equal(IPAddress.IPv6Loopback, ListenEntry.Parse("::1", allowPort: false, out _)!.Address);
    }

    [Fact]
    public void Check_names_the_first_bad_entry()
    {
        Assert.Null(ListenEntry.Check(["lo", "127.0.0.1:7000", "[::1]"], allowPort: true));
        Assert.Equal("must not be null", ListenEntry.Check(null, allowPort: true));
        string? rule = ListenEntry.Check(["lo", "eth0:99999", "x y:1:2"], allowPort: true);
        Assert.NotNull(rule);
        Assert.Contains("'eth0:99999'", rule, StringComparison.Ordinal);
    }
}
