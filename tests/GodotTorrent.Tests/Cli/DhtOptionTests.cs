using System.CommandLine;
using GodotTorrent.Cli.Commands;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary><c>download</c> and <c>seed</c> join the DHT through the public routers unless told otherwise.</summary>
public class DhtOptionTests
{
    [Fact]
    public void By_default_the_dht_is_on_with_the_public_routers()
    {
        var settings = SettingsOf();

        Assert.True(settings.EnableDht);
        Assert.Equal(SessionSettings.PublicDhtRouters, settings.DhtBootstrapNodes);
        settings.Validate();
    }

    [Fact]
    public void No_dht_turns_it_off()
    {
        Assert.False(SettingsOf("--no-dht").EnableDht);
    }

    [Fact]
    public void Dht_bootstrap_replaces_the_public_routers()
    {
        var settings = SettingsOf("--dht-bootstrap", "127.0.0.1:6881", "--dht-bootstrap", "[::1]:7000");

        Assert.True(settings.EnableDht);
        Assert.Equal(["127.0.0.1:6881", "[::1]:7000"], settings.DhtBootstrapNodes);
        settings.Validate();
    }

    [Theory]
    [InlineData("router")]
    [InlineData("127.0.0.1:0")]
    [InlineData("::1:6881")]
    public void A_bad_bootstrap_node_is_a_usage_error(string node)
    {
        var (parse, _) = Parse("--dht-bootstrap", node);

        Assert.Contains(parse.Errors, e => e.Message.Contains("--dht-bootstrap", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_download_command_accepts_the_dht_options()
    {
        var result = await CliRunner.RunAsync("download", "missing.torrent", "--out", ".", "--no-dht", "--dht-bootstrap", "127.0.0.1:6881");

        // Past option parsing (2 would be a usage error): it fails on the missing file instead.
        Assert.True(result.ExitCode != 2, result.ToString());
    }

    private static SessionSettings SettingsOf(params string[] args)
    {
        var (parse, options) = Parse(args);
        Assert.Empty(parse.Errors);
        return options.Settings(parse);
    }

    private static (ParseResult Parse, NetworkOptions Options) Parse(params string[] args)
    {
        var options = new NetworkOptions();
        var command = new RootCommand();
        options.AddTo(command);
        return (command.Parse(args), options);
    }
}
