using System.CommandLine;
using GodotTorrent.Cli.Commands;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary><c>download</c> and <c>seed</c> use local service discovery unless <c>--no-lsd</c>; commands without the option never do.</summary>
public class LsdOptionTests
{
    [Fact]
    public void By_default_lsd_is_on()
    {
        var settings = NetworkOptionsParse.SettingsOf();

        Assert.True(settings.EnableLsd);
        settings.Validate();
    }

    [Fact]
    public void No_lsd_turns_it_off()
    {
        Assert.False(NetworkOptionsParse.SettingsOf("--no-lsd").EnableLsd);
    }

    [Fact]
    public void A_command_without_the_option_keeps_it_off()
    {
        // As dht-get and dht-put build their settings: some of the network options, not --no-lsd.
        var options = new NetworkOptions();
        var command = new RootCommand { options.Port, options.Listen, options.Timeout, options.NoDht, options.DhtBootstrap };
        var parse = command.Parse([]);

        Assert.False(options.Settings(parse).EnableLsd);
    }

    [Fact]
    public async Task The_seed_command_accepts_no_lsd()
    {
        var result = await CliRunner.RunAsync("seed", "missing.torrent", "--data", ".", "--no-dht", "--no-lsd");

        // Past option parsing (2 would be a usage error): it fails on the missing file instead.
        Assert.True(result.ExitCode is not 0 and not 2, result.ToString());
    }
}
