using System.CommandLine;
using GodotTorrent.Cli.Commands;
using GodotTorrent.Dht.Items;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// The BEP 44/46 commands' arguments (publish, dht-get, dht-put, and download's BEP 46 magnet):
/// usage errors, and a clean failure with --no-dht. Runs with a real DHT node are interop tests.
/// </summary>
public sealed class DhtItemCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("dht-get")]
    [InlineData("dht-get --key 00 ")]
    [InlineData("dht-get --target abc")]
    [InlineData("dht-get --target 0000000000000000000000000000000000000000 --key 0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("dht-get --target 0000000000000000000000000000000000000000 --salt s")]
    [InlineData("dht-put")]
    [InlineData("publish x.torrent")]
    [InlineData("publish --key k")]
    public async Task Bad_arguments_are_usage_errors(string command)
    {
        var result = await CliRunner.RunAsync(command.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Out);
    }

    [Theory]
    [InlineData("dht-get --target 0000000000000000000000000000000000000000 --no-dht", "dht-get")]
    [InlineData("dht-get --key 0000000000000000000000000000000000000000000000000000000000000000 --salt a --no-dht", "dht-get")]
    [InlineData("dht-put --value hello --no-dht", "dht-put")]
    [InlineData("publish x.torrent --key k --no-dht", "publish")]
    public async Task Without_the_dht_the_item_commands_fail_cleanly(string command, string name)
    {
        var result = await CliRunner.RunAsync(command.Split(' '));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal([$"gdtorrent: error: {name} works through the DHT; it cannot run with --no-dht"], result.ErrorLines);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Download_takes_a_bep46_magnet_only_with_the_dht()
    {
        string key = _temp.Combine("k");
        var keygen = await CliRunner.RunAsync("keygen", key, "--salt", "game");
        string magnet = keygen.Out.Split('\n')[1]["magnet: ".Length..].Trim();

        var result = await CliRunner.RunAsync("download", magnet, "--out", _temp.Combine("out"), "--no-dht", "--no-lsd");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("drop --no-dht", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_refuses_a_v2_only_torrent_before_joining_the_dht()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "data", TorrentVersion.V2);
        var keygen = await CliRunner.RunAsync("keygen", _temp.Combine("k"));
        Assert.True(keygen.ExitCode == 0, keygen.ToString());

        var result = await CliRunner.RunAsync("publish", torrentPath, "--key", _temp.Combine("k"), "--listen", "127.0.0.1", "--dht-bootstrap", "127.0.0.1:9", "--once");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("a v2-only torrent cannot go on an update channel", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void The_dht_commands_options_make_valid_settings_with_the_dht_on()
    {
        var network = new NetworkOptions();
        var command = new RootCommand();
        DhtSession.AddOptions(network, command);
        var parse = command.Parse(["--listen", "127.0.0.1", "--port", "0", "--dht-bootstrap", "127.0.0.1:6881"]);
        Assert.Empty(parse.Errors);

        var settings = network.Settings(parse);

        settings.Validate();
        Assert.True(settings.EnableDht);
        Assert.Equal(["127.0.0.1:6881"], settings.DhtBootstrapNodes);
    }

    [Fact]
    public void Dht_put_values_are_bencoded_strings_that_fit_an_item()
    {
        byte[] value = DhtPutCommand.Encode("Hello World!");

        Assert.Equal("12:Hello World!"u8.ToArray(), value);
        Assert.Equal("e5f96f6f38320f0f33959cb4d3d656452117aadb", DhtItemFormat.ImmutableTarget(value).ToString());
    }
}
