namespace GodotTorrent.Tests.Cli;

/// <summary>
/// <c>download --follow</c> and <c>--follow-interval</c> (BEP 46): what they accept and refuse.
/// Following a channel through a real DHT is the interop test (DhtItemInteropTests).
/// </summary>
public sealed class FollowOptionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("--follow-interval 10")]
    [InlineData("--follow --follow-interval 4")]
    [InlineData("--follow --follow-interval 86401")]
    [InlineData("--follow --follow-interval soon")]
    public async Task Bad_follow_options_are_usage_errors(string options)
    {
        var result = await CliRunner.RunAsync(["download", await ChannelMagnetAsync(), "--out", _temp.Combine("out"), "--no-dht", "--no-lsd", .. options.Split(' ')]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--follow", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Follow_refuses_a_torrent_file_and_a_magnet_with_an_info_hash()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "data");
        string magnet = $"magnet:?xt=urn:btih:{torrent.InfoHashes.V1!.ToHex()}";

        foreach (string input in new[] { torrentPath, magnet })
        {
            var result = await CliRunner.RunAsync("download", input, "--out", _temp.Combine("out"), "--follow", "--no-dht", "--no-lsd", "--timeout", "5");

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("--follow takes a BEP 46 magnet link", result.Error, StringComparison.Ordinal);
            Assert.Equal("", result.Out);
        }
    }

    [Fact]
    public async Task Follow_needs_the_dht()
    {
        var result = await CliRunner.RunAsync("download", await ChannelMagnetAsync(), "--out", _temp.Combine("out"), "--follow", "--follow-interval", "5", "--no-dht", "--no-lsd");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("drop --no-dht", result.Error, StringComparison.Ordinal);
    }

    private async Task<string> ChannelMagnetAsync()
    {
        var keygen = await CliRunner.RunAsync("keygen", _temp.Combine("k"), "--salt", "game", "--force");
        return keygen.Out.Split('\n')[1]["magnet: ".Length..].Trim();
    }
}
