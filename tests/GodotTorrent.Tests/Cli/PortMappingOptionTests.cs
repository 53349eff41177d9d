using System.CommandLine;
using System.Net;
using System.Text.Json;
using GodotTorrent.Alerts;
using GodotTorrent.Cli;
using GodotTorrent.Cli.Commands;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary><c>download</c> and <c>seed</c> ask the router for their port unless <c>--no-port-mapping</c>, and print what it said.</summary>
public class PortMappingOptionTests
{
    private static readonly PortMapping Mapped = new(PortMappingMechanism.NatPmp, PortMappingTransport.Tcp, 6881, 40000, IPAddress.Parse("203.0.113.5"), DateTimeOffset.UtcNow.AddHours(2));

    [Fact]
    public void By_default_upnp_and_nat_pmp_are_on_and_their_alerts_wanted()
    {
        var settings = NetworkOptionsParse.SettingsOf();

        Assert.True(settings.EnableUpnp);
        Assert.True(settings.EnableNatPmp);
        Assert.True(settings.AlertMask.HasFlag(AlertCategory.PortMapping));
        settings.Validate();
    }

    [Fact]
    public void No_port_mapping_turns_both_off()
    {
        var settings = NetworkOptionsParse.SettingsOf("--no-port-mapping");

        Assert.False(settings.EnableUpnp);
        Assert.False(settings.EnableNatPmp);
    }

    [Fact]
    public void The_dht_item_commands_never_map()
    {
        var network = new NetworkOptions();
        var command = new RootCommand();
        DhtSession.AddOptions(network, command);
        var parse = command.Parse(["--port", "0"]);

        Assert.Empty(parse.Errors);
        Assert.False(network.Settings(parse).EnableNatPmp);
        Assert.False(network.Settings(parse).EnableUpnp);
    }

    [Fact]
    public async Task The_seed_command_accepts_no_port_mapping()
    {
        var result = await CliRunner.RunAsync("seed", "missing.torrent", "--data", ".", "--no-port-mapping");

        // Past option parsing (2 would be a usage error): it fails on the missing file instead.
        Assert.True(result.ExitCode != 2, result.ToString());
    }

    [Fact]
    public void Mappings_and_failures_are_one_line_each_on_stderr_after_the_listening_line_failures_once()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var alerts = new AlertManager(mask: AlertCategory.All);
        var lines = PortMapLines.Watch(new CliConsole(output, error, errorIsTerminal: false), alerts, json: false);
        var failure = new PortMapErrorAlert(PortMappingMechanism.Upnp, null, 0, ErrorCode.GatewayNotFound, "no UPnP device answered");

        alerts.Post(new PortMapAlert(Mapped));
        Assert.Equal("", error.ToString()); // held until the listening line is out
        lines.Release();
        alerts.Post(failure);
        alerts.Post(failure);
        alerts.Post(new PortMapErrorAlert(PortMappingMechanism.NatPmp, PortMappingTransport.Udp, 6881, ErrorCode.GatewayTimeout, "no reply"));

        Assert.Equal(
            [
                "Port mapped (NAT-PMP): TCP 6881 -> 203.0.113.5:40000",
                "Port mapping failed (UPnP): no UPnP device answered",
                "Port mapping failed (NAT-PMP): UDP 6881: no reply",
            ],
            error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void With_json_they_are_portmap_and_portmap_error_events()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var alerts = new AlertManager(mask: AlertCategory.All);
        PortMapLines.Watch(new CliConsole(output, error, errorIsTerminal: false), alerts, json: true).Release();

        alerts.Post(new PortMapAlert(Mapped));
        alerts.Post(new PortMapErrorAlert(PortMappingMechanism.NatPmp, PortMappingTransport.Tcp, 6881, ErrorCode.PortMapRefused, "Not Authorized/Refused (result code 2)"));

        var events = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal("portmap", events[0].GetProperty("event").GetString());
        Assert.Equal("natpmp", events[0].GetProperty("mechanism").GetString());
        Assert.Equal("tcp", events[0].GetProperty("transport").GetString());
        Assert.Equal(6881, events[0].GetProperty("internal_port").GetInt32());
        Assert.Equal(40000, events[0].GetProperty("external_port").GetInt32());
        Assert.Equal("203.0.113.5", events[0].GetProperty("external_address").GetString());
        Assert.Equal("portmap_error", events[1].GetProperty("event").GetString());
        Assert.Equal("PortMapRefused", events[1].GetProperty("error").GetString());
        Assert.Equal("Not Authorized/Refused (result code 2)", events[1].GetProperty("message").GetString());
        Assert.Equal("", error.ToString());
    }
}
