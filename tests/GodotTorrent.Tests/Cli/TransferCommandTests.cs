using System.Text.Json;
using GodotTorrent.Cli;
using GodotTorrent.Tests.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// <c>seed</c> and <c>download</c> run in-process against each other on 127.0.0.1.
/// Real sockets and files: proves the CLI end to end.
/// </summary>
public sealed class TransferCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Download_from_seed_gets_identical_files()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "seed");
        using var seedOut = new SyncWriter();
        using var seedErr = new SyncWriter();
        using var stopSeed = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var seeding = Task.Run(() => Program.RunAsync(
            ["seed", torrentPath, "--data", _temp.Combine("seed"), "--port", "0", "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--json", "--timeout", "120"],
            seedOut, seedErr, stopSeed.Token));

        try
        {
            int port = await ListeningPortAsync(seedOut, seeding);

            var result = await CliRunner.RunAsync(
                "download", torrentPath, "--peer", $"127.0.0.1:{port}", "--out", _temp.Combine("download"),
                "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--json", "--timeout", "60");

            Assert.True(result.ExitCode == 0, result.ToString());
            SwarmFixture.AssertSameFiles(_temp.Combine("seed"), _temp.Combine("download"), torrent);
            var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal("listening", lines[0].GetProperty("event").GetString());
            var last = lines[^1];
            Assert.Equal("complete", last.GetProperty("event").GetString());
            Assert.Equal(1.0, last.GetProperty("progress").GetDouble());
            Assert.Equal(torrent.PieceCount, last.GetProperty("pieces_done").GetInt32());
            Assert.Contains(last.GetProperty("state").GetString(), new[] { "seeding", "finished" });
        }
        finally
        {
            await stopSeed.CancelAsync();
            int seedExit = await seeding;
            Assert.True(seedExit == 0, $"seed exit {seedExit}\n{seedOut}\n{seedErr}");
        }

        Assert.Contains("\"event\":\"stopped\"", seedOut.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_of_a_magnet_from_seed_fetches_the_metadata_and_gets_identical_files()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "seed");
        string magnet = torrent.ToMagnet().ToUri();
        Assert.DoesNotContain("tr=", magnet, StringComparison.Ordinal);
        using var seedOut = new SyncWriter();
        using var seedErr = new SyncWriter();
        using var stopSeed = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var seeding = Task.Run(() => Program.RunAsync(
            ["seed", torrentPath, "--data", _temp.Combine("seed"), "--port", "0", "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--json", "--timeout", "120"],
            seedOut, seedErr, stopSeed.Token));

        try
        {
            int port = await ListeningPortAsync(seedOut, seeding);

            var result = await CliRunner.RunAsync(
                "download", magnet, "--peer", $"127.0.0.1:{port}", "--out", _temp.Combine("download"),
                "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--json", "--timeout", "60");

            Assert.True(result.ExitCode == 0, result.ToString());
            SwarmFixture.AssertSameFiles(_temp.Combine("seed"), _temp.Combine("download"), torrent);
            var last = JsonDocument.Parse(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
            Assert.Equal("complete", last.GetProperty("event").GetString());
            Assert.Equal(torrent.PieceCount, last.GetProperty("pieces_done").GetInt32());
        }
        finally
        {
            await stopSeed.CancelAsync();
            int seedExit = await seeding;
            Assert.True(seedExit == 0, $"seed exit {seedExit}\n{seedOut}\n{seedErr}");
        }
    }

    [Theory]
    [InlineData("forced", "disabled", "(it may require encryption: try --encryption enabled)")]
    [InlineData("disabled", "forced", "(it does not speak encryption: try --encryption enabled)")]
    public async Task A_download_refused_for_its_encryption_policy_says_why_when_it_times_out(string seedPolicy, string downloadPolicy, string hint)
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");
        using var seedOut = new SyncWriter();
        using var seedErr = new SyncWriter();
        using var stopSeed = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seeding = Task.Run(() => Program.RunAsync(
            ["seed", torrentPath, "--data", _temp.Combine("seed"), "--port", "0", "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--json", "--timeout", "60", "--encryption", seedPolicy],
            seedOut, seedErr, stopSeed.Token));
        try
        {
            int port = await ListeningPortAsync(seedOut, seeding);

            var result = await CliRunner.RunAsync(
                "download", torrentPath, "--peer", $"127.0.0.1:{port}", "--out", _temp.Combine("download"),
                "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--timeout", "4", "--encryption", downloadPolicy);

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains($"last failed handshake: 127.0.0.1:{port}: ", result.ErrorLines[^1], StringComparison.Ordinal);
            Assert.EndsWith(hint, result.ErrorLines[^1], StringComparison.Ordinal);
        }
        finally
        {
            await stopSeed.CancelAsync();
            await seeding;
        }
    }

    [Fact]
    public async Task Download_without_peers_times_out_with_exit_code_1()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");

        var result = await CliRunner.RunAsync("download", torrentPath, "--out", _temp.Combine("download"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--timeout", "2");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("gdtorrent: error: timed out after 2 s: 0 of ", result.ErrorLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_refuses_incomplete_data()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");
        File.Delete(_temp.Combine("seed", "pack", "c.txt"));

        var result = await CliRunner.RunAsync("seed", torrentPath, "--data", _temp.Combine("seed"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--timeout", "30");

        Assert.True(result.ExitCode == 1, result.ToString());
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("the data is incomplete", line, StringComparison.Ordinal);
        Assert.Contains("pack/c.txt", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--peer nohost")]
    [InlineData("--peer 127.0.0.1:0")]
    [InlineData("--peer ::1:80")]
    [InlineData("--port 70000")]
    [InlineData("--listen 127.0.0.1:70000")]
    [InlineData("--outgoing-interface eth0:6881")]
    [InlineData("--max-down fast")]
    [InlineData("--timeout -1")]
    public async Task Bad_download_options_are_usage_errors(string options)
    {
        var result = await CliRunner.RunAsync(["download", "x.torrent", "--out", _temp.Path, .. options.Split(' ')]);

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    internal static async Task<int> ListeningPortAsync(SyncWriter seedOut, Task<int> seeding)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            string first = seedOut.ToString().Split('\n')[0];
            if (first.EndsWith('}'))
            {
                using var json = JsonDocument.Parse(first);
                Assert.Equal("listening", json.RootElement.GetProperty("event").GetString());
                return json.RootElement.GetProperty("port").GetInt32();
            }

            if (seeding.IsCompleted)
            {
                Assert.Fail($"seed ended early with exit code {await seeding}");
            }

            await Task.Delay(50, deadline.Token);
        }
    }
}
