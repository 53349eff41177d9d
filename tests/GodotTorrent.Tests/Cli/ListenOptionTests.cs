using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using GodotTorrent.Cli.Commands;

namespace GodotTorrent.Tests.Cli;

/// <summary><c>--listen</c> by interface name or address with an optional port, <c>--outgoing-interface</c>, and the listen errors a user sees.</summary>
public sealed class ListenOptionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Listen_takes_names_and_addresses_with_optional_ports_and_outgoing_names_or_addresses()
    {
        var (parse, options) = Parse("--listen", "eth0", "--listen", "eth0:6881", "--listen", "127.0.0.1", "--listen", "[::1]:7000",
            "--outgoing-interface", "tun0", "--outgoing-interface", "10.0.0.5");

        Assert.Empty(parse.Errors);
        var settings = options.Settings(parse);
        Assert.Equal(["eth0", "eth0:6881", "127.0.0.1", "[::1]:7000"], settings.ListenInterfaces);
        Assert.Equal(["tun0", "10.0.0.5"], settings.OutgoingInterfaces);
        settings.Validate();
    }

    [Theory]
    [InlineData("--listen", "eth0:99999")]
    [InlineData("--listen", "[::1")]
    [InlineData("--outgoing-interface", "eth0:6881")]
    public void A_bad_entry_is_a_usage_error_naming_the_option(string option, string value)
    {
        var (parse, _) = Parse(option, value);

        Assert.Contains(parse.Errors, e => e.Message.StartsWith(option + ":", StringComparison.Ordinal) && e.Message.Contains(value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_listen_name_that_does_not_exist_fails_the_command()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");

        var result = await CliRunner.RunAsync("seed", torrentPath, "--data", _temp.Combine("seed"), "--listen", "nosuchif0", "--no-dht", "--timeout", "30");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--listen nosuchif0: there is no network interface named 'nosuchif0'", result.ErrorLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outgoing_interface_that_does_not_exist_fails_the_command()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");

        var result = await CliRunner.RunAsync("seed", torrentPath, "--data", _temp.Combine("seed"), "--listen", "127.0.0.1", "--outgoing-interface", "nosuchif0", "--no-dht", "--timeout", "30");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--outgoing-interface nosuchif0: there is no network interface named 'nosuchif0'", result.ErrorLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_port_in_a_listen_entry_fails_the_command()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        string port = ((IPEndPoint)holder.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var result = await CliRunner.RunAsync("seed", torrentPath, "--data", _temp.Combine("seed"), "--listen", "lo:" + port, "--no-dht", "--timeout", "30");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"--listen: cannot listen on 127.0.0.1:{port} (TCP, lo)", result.ErrorLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listening_on_lo_with_port_0_reports_the_free_port_it_took()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");

        var result = await CliRunner.RunAsync("seed", torrentPath, "--data", _temp.Combine("seed"), "--listen", "lo", "--port", "0", "--no-dht", "--json", "--timeout", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        var listening = JsonDocument.Parse(result.Out.Split('\n')[0]).RootElement;
        Assert.Equal("listening", listening.GetProperty("event").GetString());
        int port = listening.GetProperty("port").GetInt32();
        Assert.NotEqual(0, port);
        Assert.Contains($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", listening.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
    }

    private static (ParseResult Parse, NetworkOptions Options) Parse(params string[] args)
    {
        var options = new NetworkOptions();
        var command = new RootCommand();
        options.AddTo(command);
        return (command.Parse(args), options);
    }
}
