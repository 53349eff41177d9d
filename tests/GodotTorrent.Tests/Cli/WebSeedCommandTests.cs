using System.Text.Json;
using GodotTorrent.Metainfo;
using GodotTorrent.Tests.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// <c>create --web-seed</c> and <c>download</c> from a web seed with no peer at all, against a
/// small HTTP server on 127.0.0.1 (real sockets and files: the CLI end to end); the flags' rules.
/// </summary>
public sealed class WebSeedCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Create_with_one_web_seed_then_download_from_it_alone()
    {
        var (_, torrent) = await CliContent.CreateAsync(_temp, "seed");
        using var server = new RangeFileServer(_temp.Combine("seed"));
        string torrentPath = _temp.Combine("web.torrent");

        var created = await CliRunner.RunAsync("create", _temp.Combine("seed", "pack"), "-o", torrentPath, "--piece-size", "16K", "--web-seed", server.Url);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal([server.Url], TorrentInfo.Load(torrentPath).WebSeeds);
        Assert.Contains($"8:url-list{server.Url.Length}:{server.Url}", System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(torrentPath)), StringComparison.Ordinal);

        var result = await CliRunner.RunAsync(
            "download", torrentPath, "--out", _temp.Combine("download"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--json", "--timeout", "60");

        Assert.True(result.ExitCode == 0, result.ToString());
        SwarmFixture.AssertSameFiles(_temp.Combine("seed"), _temp.Combine("download"), torrent);
        var last = JsonDocument.Parse(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal("complete", last.GetProperty("event").GetString());
        // Every payload byte came from the web seed (pad files of a hybrid torrent count as payload, as from peers).
        Assert.Equal(last.GetProperty("total_download").GetInt64(), last.GetProperty("web_seed_download").GetInt64());
        Assert.True(last.GetProperty("web_seed_download").GetInt64() >= torrent.TotalSize, result.Out);
        Assert.True(server.Requests > 0);
    }

    [Fact]
    public async Task Web_seed_option_adds_one_and_no_web_seeds_ignores_them()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "seed");
        using var server = new RangeFileServer(_temp.Combine("seed"));

        var ignored = await CliRunner.RunAsync(
            "download", torrentPath, "--out", _temp.Combine("none"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--json", "--timeout", "3", "--no-web-seeds");
        var added = await CliRunner.RunAsync(
            "download", torrentPath, "--out", _temp.Combine("download"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--json", "--timeout", "60", "--web-seed", server.Url);

        Assert.NotEqual(0, ignored.ExitCode);
        Assert.True(added.ExitCode == 0, added.ToString());
        SwarmFixture.AssertSameFiles(_temp.Combine("seed"), _temp.Combine("download"), torrent);
    }

    [Theory]
    [InlineData("--web-seed http://cdn.example/ --no-web-seeds")]
    [InlineData("--web-seed ftp://cdn.example/")]
    public async Task Bad_web_seed_options_are_usage_errors(string options)
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");

        var result = await CliRunner.RunAsync(["download", torrentPath, "--out", _temp.Combine("download"), .. options.Split(' ')]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("gdtorrent: usage error: ", result.ErrorLines[0], StringComparison.Ordinal);
    }
}
