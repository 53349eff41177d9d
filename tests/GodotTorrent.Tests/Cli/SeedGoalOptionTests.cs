using System.Text.Json;
using GodotTorrent.Cli;
using GodotTorrent.Tests.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// <c>--seed-ratio</c> and <c>--seed-time</c> of <c>seed</c> and <c>download</c>: in-process on
/// 127.0.0.1 with real sockets and files, as <see cref="TransferCommandTests"/>.
/// </summary>
public sealed class SeedGoalOptionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("download", "--seed-ratio -1")]
    [InlineData("download", "--seed-ratio lots")]
    [InlineData("download", "--seed-ratio 10001")]
    [InlineData("download", "--seed-time -5")]
    [InlineData("download", "--seed-time 1.5")]
    [InlineData("seed", "--seed-ratio x")]
    [InlineData("seed", "--seed-time forever")]
    public async Task Bad_goals_are_usage_errors(string command, string options)
    {
        string[] place = command == "download" ? ["--out", _temp.Path] : ["--data", _temp.Path];
        var result = await CliRunner.RunAsync([command, "x.torrent", .. place, .. options.Split(' ')]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(options.Split(' ')[0], result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_with_a_seed_time_of_zero_stops_at_once_and_says_why()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");

        var result = await CliRunner.RunAsync("seed", torrentPath, "--data", _temp.Combine("seed"), "--listen", "127.0.0.1", "--no-dht", "--seed-time", "0", "--timeout", "60");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("stopped: seeding goal reached (seeding time)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_seed_with_a_ratio_of_one_exits_once_the_download_has_everything_and_the_download_seeds_until_its_time()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "seed");
        using var seedOut = new SyncWriter();
        using var seedErr = new SyncWriter();
        using var stopSeed = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var seeding = Task.Run(() => Program.RunAsync(
            ["seed", torrentPath, "--data", _temp.Combine("seed"), "--port", "0", "--listen", "127.0.0.1", "--no-dht", "--json", "--timeout", "120", "--seed-ratio", "1"],
            seedOut, seedErr, stopSeed.Token));

        int port = await TransferCommandTests.ListeningPortAsync(seedOut, seeding);
        var result = await CliRunner.RunAsync(
            "download", torrentPath, "--peer", $"127.0.0.1:{port}", "--out", _temp.Combine("download"),
            "--listen", "127.0.0.1", "--no-dht", "--json", "--timeout", "60", "--seed-time", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        SwarmFixture.AssertSameFiles(_temp.Combine("seed"), _temp.Combine("download"), torrent);
        var events = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()).ToList();
        Assert.Contains("complete", events);
        Assert.Equal("seed_goal_reached", events[^1]);

        // The seed uploaded the whole torrent once (ratio 1 over its size): it ends by itself, exit 0.
        int seedExit = await seeding.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(seedExit == 0, $"seed exit {seedExit}\n{seedOut}\n{seedErr}");
        var last = JsonDocument.Parse(seedOut.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal("seed_goal_reached", last.GetProperty("event").GetString());
        Assert.True(last.GetProperty("total_upload").GetInt64() >= torrent.TotalSize);
    }
}
