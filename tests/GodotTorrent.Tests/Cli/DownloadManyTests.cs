using System.Text.Json;
using GodotTorrent.Cli;
using GodotTorrent.Metainfo;
using GodotTorrent.Tests.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// <c>download</c> of several torrents in one run, and the peer source errors it shows (text once
/// per distinct error, and JSON events), against in-process seeds on 127.0.0.1.
/// </summary>
public sealed class DownloadManyTests : IDisposable
{
    private static readonly string[] Quiet = ["--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping"];
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Two_torrents_download_in_one_run_each_with_its_own_events_and_summary()
    {
        var (firstPath, first) = await CreateAsync("first", 1, 150_000);
        var (secondPath, second) = await CreateAsync("second", 2, 90_000);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var firstOut = new SyncWriter();
        using var secondOut = new SyncWriter();
        var seeds = new[]
        {
            Task.Run(() => Program.RunAsync(["seed", firstPath, "--data", _temp.Combine("seed"), .. Quiet, "--json"], firstOut, TextWriter.Null, stop.Token)),
            Task.Run(() => Program.RunAsync(["seed", secondPath, "--data", _temp.Combine("seed"), .. Quiet, "--json"], secondOut, TextWriter.Null, stop.Token)),
        };
        try
        {
            int firstPort = await TransferCommandTests.ListeningPortAsync(firstOut, seeds[0]);
            int secondPort = await TransferCommandTests.ListeningPortAsync(secondOut, seeds[1]);
            string[] both = ["download", firstPath, secondPath, "--peer", $"127.0.0.1:{firstPort}", "--peer", $"127.0.0.1:{secondPort}", .. Quiet, "--timeout", "60"];

            var json = await CliRunner.RunAsync([.. both, "--out", _temp.Combine("json"), "--json"]);
            var text = await CliRunner.RunAsync([.. both, "--out", _temp.Combine("text")]);

            Assert.True(json.ExitCode == 0, json.ToString());
            Assert.True(text.ExitCode == 0, text.ToString());
            foreach (var (torrent, folder) in new[] { (first, "json"), (second, "json"), (first, "text"), (second, "text") })
            {
                SwarmFixture.AssertSameFiles(_temp.Combine("seed"), _temp.Combine(folder), torrent);
            }

            var completes = Events(json.Out).Where(e => e.GetProperty("event").GetString() == "complete").Select(e => e.GetProperty("name").GetString()).Order().ToList();
            Assert.Equal(["first", "second"], completes);
            var summaries = text.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, summaries.Length);
            Assert.Contains(summaries, l => l.StartsWith("Downloaded first: ", StringComparison.Ordinal));
            Assert.Contains(summaries, l => l.StartsWith("Downloaded second: ", StringComparison.Ordinal));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(seeds);
        }
    }

    [Fact]
    public async Task One_torrent_without_a_peer_makes_the_run_fail_though_the_other_completes()
    {
        var (firstPath, first) = await CreateAsync("first", 1, 150_000);
        var (orphanPath, _) = await CreateAsync("orphan", 3, 50_000);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var seedOut = new SyncWriter();
        var seeding = Task.Run(() => Program.RunAsync(["seed", firstPath, "--data", _temp.Combine("seed"), .. Quiet, "--json"], seedOut, TextWriter.Null, stop.Token));
        try
        {
            int port = await TransferCommandTests.ListeningPortAsync(seedOut, seeding);

            var result = await CliRunner.RunAsync(["download", firstPath, orphanPath, "--peer", $"127.0.0.1:{port}", "--out", _temp.Combine("out"), .. Quiet, "--timeout", "8", "--json"]);

            Assert.True(result.ExitCode == 1, result.ToString());
            SwarmFixture.AssertSameFiles(_temp.Combine("seed"), _temp.Combine("out"), first);
            var ends = Events(result.Out).Where(e => e.GetProperty("event").GetString() is "complete" or "timeout")
                .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("event").GetString());
            Assert.Equal("complete", ends["first"]);
            Assert.Equal("timeout", ends["orphan"]);
            Assert.Contains("orphan: timed out after 8 s", result.ErrorLines[^1], StringComparison.Ordinal);
            Assert.EndsWith("(1 of 2 torrents incomplete)", result.ErrorLines[^1], StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            await seeding;
        }
    }

    [Fact]
    public async Task Tracker_and_web_seed_errors_are_shown_once_each_in_text_and_as_json_events()
    {
        // Nothing listens on port 1 of 127.0.0.1: both are refused at once, and retried later.
        var (torrentPath, _) = await CreateAsync("lonely", 4, 50_000, tracker: "http://127.0.0.1:1/announce");
        string[] args = ["download", torrentPath, "--web-seed", "http://127.0.0.1:1/files/", .. Quiet, "--timeout", "6"];

        var text = await CliRunner.RunAsync([.. args, "--out", _temp.Combine("text")]);
        var json = await CliRunner.RunAsync([.. args, "--out", _temp.Combine("json"), "--json"]);

        Assert.True(text.ExitCode == 1, text.ToString());
        Assert.Single(text.ErrorLines, l => l.StartsWith("lonely: tracker http://127.0.0.1:1/announce: ", StringComparison.Ordinal));
        Assert.Single(text.ErrorLines, l => l.StartsWith("lonely: web seed http://127.0.0.1:1/files/", StringComparison.Ordinal));
        var events = Events(json.Out).ToList();
        var tracker = Assert.Single(events, e => e.GetProperty("event").GetString() == "tracker_error");
        Assert.Equal("http://127.0.0.1:1/announce", tracker.GetProperty("url").GetString());
        Assert.Equal("lonely", tracker.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(tracker.GetProperty("message").GetString()));
        var web = Assert.Single(events, e => e.GetProperty("event").GetString() == "web_seed_error");
        Assert.Equal("http://127.0.0.1:1/files/", web.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Json_status_events_carry_the_eta_field()
    {
        var (torrentPath, _) = await CreateAsync("lonely", 4, 50_000);

        var result = await CliRunner.RunAsync(["download", torrentPath, "--out", _temp.Combine("out"), .. Quiet, "--timeout", "2", "--json"]);

        var status = Events(result.Out).First(e => e.GetProperty("event").GetString() == "status");
        // Nothing arrives, so there is no time left to tell: null, but present.
        Assert.Equal(JsonValueKind.Null, status.GetProperty("eta_seconds").ValueKind);
    }

    private static IEnumerable<JsonElement> Events(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement);

    private async Task<(string Path, TorrentInfo Torrent)> CreateAsync(string name, int seed, int length, string? tracker = null)
    {
        var random = new Random(seed);
        foreach (var (file, size) in new[] { ("one.bin", length), ("two.bin", length / 3) })
        {
            var data = new byte[size];
            random.NextBytes(data);
            _temp.WriteFile(Path.Combine("seed", name, file), data);
        }

        string path = _temp.Combine(name + ".torrent");
        var torrent = await TorrentCreator.CreateFileAsync(_temp.Combine("seed", name), path, new TorrentCreatorOptions
        {
            PieceLength = 16384,
            Version = TorrentVersion.V1,
            Trackers = tracker is null ? [] : [[tracker]],
        });
        return (path, torrent);
    }
}
