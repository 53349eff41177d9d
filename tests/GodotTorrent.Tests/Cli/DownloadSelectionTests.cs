using System.CommandLine;
using System.Text.Json;
using GodotTorrent.Cli;
using GodotTorrent.Cli.Commands;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary><c>download --select</c> and <c>--sequential</c>, and the order of <c>download --help</c>.</summary>
public sealed class DownloadSelectionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("0")]
    [InlineData("3-1")]
    [InlineData("1,,2")]
    [InlineData("a")]
    [InlineData("1-2-3")]
    [InlineData("-2")]
    public async Task A_bad_select_list_is_a_usage_error(string list)
    {
        var result = await CliRunner.RunAsync("download", "x.torrent", "--out", _temp.Path, "--select", list);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--select", result.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_select_number_past_the_last_file_is_a_usage_error()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");

        var result = await CliRunner.RunAsync("download", torrentPath, "--out", _temp.Combine("out"), "--select", "2,4", "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--select 4: pack has 3 file(s)", result.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Select_with_more_than_one_torrent_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync("download", "a.torrent", "b.torrent", "--out", _temp.Path, "--select", "1");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--select numbers the files of one torrent", result.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Select_ranges_and_sequential_become_the_torrents_priorities_and_order()
    {
        var torrent = GodotTorrent.Metainfo.TorrentInfo.Parse(CliTorrents.MultiFile());
        var options = new SelectionOptions();
        var command = new RootCommand();
        options.AddTo(command);
        var parse = command.Parse(["--select", "2", "--sequential"]);
        Assert.Empty(parse.Errors);

        var add = options.Apply(parse, new AddTorrentParams { Torrent = torrent, SavePath = _temp.Path });

        Assert.True(add.SequentialDownload);
        Assert.Equal([Priority.Skip, Priority.Normal], add.FilePriorities);
        Assert.Equal([1, 3, 4, 5, 9], SelectionOptions.ParseSelectionOf("5,1,3-4,9,4"));
    }

    [Fact]
    public async Task Download_with_select_gets_only_the_chosen_file()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "seed");

        var last = await DownloadSelectedAsync(torrentPath, torrentPath, Number(torrent, "b.bin"));

        Assert.Equal(70_000, last.GetProperty("total_wanted").GetInt64());
        Assert.Equal(File.ReadAllBytes(_temp.Combine("seed", "pack", "sub", "b.bin")), File.ReadAllBytes(_temp.Combine("out", "pack", "sub", "b.bin")));
        // a.bin shares at most a piece with the others: it is never complete.
        string a = _temp.Combine("out", "pack", "a.bin");
        Assert.False(File.Exists(a) && File.ReadAllBytes(a).SequenceEqual(File.ReadAllBytes(_temp.Combine("seed", "pack", "a.bin"))));
    }

    [Fact]
    public async Task Download_of_a_magnet_with_select_skips_the_other_files_once_the_metadata_arrives()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "seed");

        var last = await DownloadSelectedAsync(torrentPath, torrent.ToMagnet().ToUri(), Number(torrent, "c.txt"));

        Assert.Equal(33, last.GetProperty("total_wanted").GetInt64());
        Assert.Equal(File.ReadAllBytes(_temp.Combine("seed", "pack", "c.txt")), File.ReadAllBytes(_temp.Combine("out", "pack", "c.txt")));
    }

    [Fact]
    public async Task A_select_number_past_a_magnets_last_file_is_a_usage_error_once_the_metadata_arrives()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "seed");

        var result = await RunSelectedAsync(torrentPath, torrent.ToMagnet().ToUri(), "1-4");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--select 4: pack has 3 file(s)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_help_lists_source_storage_selection_network_limits_then_output()
    {
        var result = await CliRunner.RunAsync("download", "--help");

        string[] order = ["<torrent>", "--out", "--select", "--sequential", "--peer", "--listen", "--no-dht", "--web-seed", "--max-down", "--max-up", "--timeout", "--seed-after", "--json"];
        var positions = order.Select(o => result.Out.IndexOf(o + " ", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    private static int Number(GodotTorrent.Metainfo.TorrentInfo torrent, string name) =>
        torrent.Files.Where(f => !f.IsPad).ToList().FindIndex(f => f.Path.EndsWith(name, StringComparison.Ordinal)) + 1;

    // Seeds the torrent in-process, downloads `source` with --select number from it; returns the last JSON line, which says complete.
    private async Task<JsonElement> DownloadSelectedAsync(string torrentPath, string source, int number)
    {
        var result = await RunSelectedAsync(torrentPath, source, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(result.ExitCode == 0, result.ToString());
        var last = JsonDocument.Parse(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.Clone();
        Assert.Equal("complete", last.GetProperty("event").GetString());
        return last;
    }

    private async Task<CliResult> RunSelectedAsync(string torrentPath, string source, string list)
    {
        using var seedOut = new SyncWriter();
        using var stopSeed = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var seeding = Task.Run(() => Program.RunAsync(
            ["seed", torrentPath, "--data", _temp.Combine("seed"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping", "--json", "--timeout", "120"],
            seedOut, TextWriter.Null, stopSeed.Token));
        try
        {
            int port = await TransferCommandTests.ListeningPortAsync(seedOut, seeding);

            return await CliRunner.RunAsync(
                "download", source, "--peer", $"127.0.0.1:{port}", "--out", _temp.Combine("out"), "--select", list,
                "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping", "--json", "--timeout", "60");
        }
        finally
        {
            await stopSeed.CancelAsync();
            await seeding;
        }
    }
}
