using System.Text.Json;
using GodotTorrent.Cli;
using GodotTorrent.Cli.Output;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// <c>seedbox</c> in-process on 127.0.0.1: serves every torrent of a folder, follows the folder,
/// and resumes from its state folder after a restart without hashing.
/// </summary>
public sealed class SeedboxCommandTests : IDisposable
{
    private static readonly string[] Quiet = ["--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping"];
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_seedbox_serves_its_torrents_picks_up_new_ones_and_drops_deleted_ones()
    {
        var first = await CreateAsync("first", 1);
        await File.WriteAllTextAsync(_temp.Combine("box", "broken.torrent"), "not bencode");
        using var output = new SyncWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var running = Task.Run(() => Program.RunAsync(["seedbox", _temp.Combine("box"), .. Quiet, "--json", "--poll", "1"], output, TextWriter.Null, stop.Token));
        try
        {
            int port = await TransferCommandTests.ListeningPortAsync(output, running);
            await EventAsync(output, "added", "first");
            Assert.Contains(Events(output), e => e.GetProperty("event").GetString() == "skipped" && e.GetProperty("torrent").GetString()!.EndsWith("broken.torrent", StringComparison.Ordinal));

            var download = await CliRunner.RunAsync(["download", _temp.Combine("box", "first.torrent"), "--peer", $"127.0.0.1:{port}", "--out", _temp.Combine("out"), .. Quiet, "--timeout", "60"]);
            Assert.True(download.ExitCode == 0, download.ToString());
            SwarmFixture.AssertSameFiles(_temp.Combine("box"), _temp.Combine("out"), first);

            var second = await CreateAsync("second", 2);
            await EventAsync(output, "added", "second");
            download = await CliRunner.RunAsync(["download", _temp.Combine("box", "second.torrent"), "--peer", $"127.0.0.1:{port}", "--out", _temp.Combine("out"), .. Quiet, "--timeout", "60"]);
            Assert.True(download.ExitCode == 0, download.ToString());
            SwarmFixture.AssertSameFiles(_temp.Combine("box"), _temp.Combine("out"), second);

            File.Delete(_temp.Combine("box", "first.torrent"));
            await EventAsync(output, "removed", "first");
            Assert.True(Directory.Exists(_temp.Combine("box", "first")), "the data of a removed torrent is kept");
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.True(await running == 0, output.ToString());
        var stopped = Events(output).Where(e => e.GetProperty("event").GetString() == "stopped").Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Equal(["second"], stopped);
    }

    [Fact]
    public async Task A_restarted_seedbox_resumes_from_its_state_folder_without_hashing()
    {
        var torrent = await CreateAsync("game", 3);
        string[] args = ["seedbox", _temp.Combine("box"), "--state", _temp.Combine("state"), .. Quiet, "--json", "--poll", "1"];
        var firstRun = await RunUntilAsync(args, "added");
        Assert.False(firstRun.GetProperty("resumed").GetBoolean());
        Assert.Single(Directory.GetFiles(_temp.Combine("state", "resume"), "*.resume"));

        // A changed byte with the file's size and time kept: only hashing would notice.
        string file = _temp.Combine("box", "game", "one.bin");
        var written = File.GetLastWriteTimeUtc(file);
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[100] ^= 0xFF;
        await File.WriteAllBytesAsync(file, bytes);
        File.SetLastWriteTimeUtc(file, written);

        var secondRun = await RunUntilAsync(args, "added");

        Assert.True(secondRun.GetProperty("resumed").GetBoolean());
        Assert.Equal(torrent.InfoHashes.Primary.ToHex(), secondRun.GetProperty("info_hash").GetString());
        var check = await CliRunner.RunAsync("check", _temp.Combine("box", "game.torrent"), "--data", _temp.Combine("box"));
        Assert.True(check.ExitCode == 1, "the data really is damaged, so a hash would have found it\n" + check);
    }

    [Fact]
    public async Task A_restarted_seedbox_skips_a_torrent_whose_files_changed_since_the_last_run()
    {
        await CreateAsync("game", 3);
        string[] args = ["seedbox", _temp.Combine("box"), "--state", _temp.Combine("state"), .. Quiet, "--json", "--poll", "1"];
        await RunUntilAsync(args, "added");

        // A changed byte and a new time: the engine hashes the file again and finds a bad piece.
        string file = _temp.Combine("box", "game", "one.bin");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[100] ^= 0xFF;
        await File.WriteAllBytesAsync(file, bytes);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));

        using var output = new SyncWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var running = Task.Run(() => Program.RunAsync(args, output, TextWriter.Null, stop.Token));
        JsonElement? skipped = null;
        try
        {
            var deadline = DateTime.UtcNow + Bound;
            while (skipped is null && DateTime.UtcNow < deadline && !running.IsCompleted)
            {
                skipped = Events(output).Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("event").GetString() == "skipped");
                await Task.Delay(50);
            }
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.True(await running == 0, output.ToString());
        Assert.True(skipped is not null, output.ToString());
        Assert.Contains("changed since the last run", skipped.Value.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Events(output), e => e.GetProperty("event").GetString() == "added");
    }

    [Fact]
    public async Task A_text_seedbox_prints_a_status_table_and_its_summary_when_stopped()
    {
        await CreateAsync("game", 4);
        using var output = new SyncWriter();
        using var error = new SyncWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var running = Task.Run(() => Program.RunAsync(["seedbox", _temp.Combine("box"), .. Quiet, "--poll", "1"], output, error, stop.Token));
        var deadline = DateTime.UtcNow + Bound;
        // The first table may still show the torrent checking its resume data: wait for a row that says seeding.
        bool Seeding() => error.ToString().Split('\n').Any(l => l.StartsWith("game ", StringComparison.Ordinal) && l.TrimEnd('\r').EndsWith("seeding", StringComparison.Ordinal));
        while (!Seeding() && DateTime.UtcNow < deadline && !running.IsCompleted)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        Assert.True(await running == 0, $"{output}\n{error}");
        var lines = error.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains(lines, l => l.StartsWith("NAME ", StringComparison.Ordinal) && l.EndsWith("PEERS STATE", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("game ", StringComparison.Ordinal) && l.EndsWith("seeding", StringComparison.Ordinal));
        Assert.StartsWith("Seedbox stopped after ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 torrent(s)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fifo_or_a_device_named_like_a_torrent_is_skipped_without_blocking_the_seedbox()
    {
        await CreateAsync("game", 4);
        // A FIFO blocks whoever opens it to read until a writer comes; /dev/zero never ends.
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", _temp.Combine("box", "a-fifo.torrent")))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        File.CreateSymbolicLink(_temp.Combine("box", "b-zero.torrent"), "/dev/zero");
        using var output = new SyncWriter();
        var running = Task.Run(() => Program.RunAsync(["seedbox", _temp.Combine("box"), .. Quiet, "--json", "--timeout", "2"], output, TextWriter.Null));

        bool ended = await Task.WhenAny(running, Task.Delay(Bound)) == running;

        Assert.True(ended, $"the seedbox did not stop within {Bound}\n{output}");
        Assert.True(await running == 0, output.ToString());
        var events = Events(output);
        var skipped = events.Where(e => e.GetProperty("event").GetString() == "skipped").Select(e => Path.GetFileName(e.GetProperty("torrent").GetString())).ToList();
        Assert.Equal(["a-fifo.torrent", "b-zero.torrent"], skipped.Order());
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "added" && e.GetProperty("name").GetString() == "game");
    }

    [Fact]
    public void The_status_table_fits_80_columns_with_long_names()
    {
        var status = new TorrentStatus
        {
            InfoHashes = new(InfoHash.ComputeV1([1]), null),
            Name = new string('n', 120),
            State = TorrentState.Seeding,
            SavePath = "/",
            TotalWanted = 1023L << 30,
            AllTimeUpload = 1023L << 40,
            UploadRate = 1023L << 20,
            PeerCount = 99_999,
        };

        var lines = SeedboxTable.Lines([status, status], 80);

        Assert.Equal(4, lines.Count);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length}: {l}"));
        Assert.EndsWith("seeding", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_with_control_characters_reaches_the_table_as_question_marks()
    {
        var status = new TorrentStatus
        {
            InfoHashes = new(InfoHash.ComputeV1([1]), null),
            Name = "map\u001b]0;owned\u0007pack",
            State = TorrentState.Seeding,
            SavePath = "/",
        };

        var lines = SeedboxTable.Lines([status], 80);

        Assert.StartsWith("map?]0;owned?pack ", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Any(char.IsControl));
    }

    [Theory]
    [InlineData("--poll", "0")]
    [InlineData("--poll", "x")]
    public async Task Bad_seedbox_options_are_usage_errors(string option, string value)
    {
        var result = await CliRunner.RunAsync("seedbox", _temp.Path, option, value);

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public async Task A_missing_folder_fails()
    {
        var result = await CliRunner.RunAsync(["seedbox", _temp.Combine("nowhere"), .. Quiet]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no such folder", result.ErrorLines[^1], StringComparison.Ordinal);
    }

    private async Task<JsonElement> RunUntilAsync(string[] args, string eventName)
    {
        using var output = new SyncWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var running = Task.Run(() => Program.RunAsync(args, output, TextWriter.Null, stop.Token));
        JsonElement found;
        try
        {
            found = await EventAsync(output, eventName, "game");
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.True(await running == 0, output.ToString());
        return found;
    }

    private static async Task<JsonElement> EventAsync(SyncWriter output, string eventName, string name)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var e in Events(output))
            {
                if (e.GetProperty("event").GetString() == eventName && e.TryGetProperty("name", out var n) && n.GetString() == name)
                {
                    return e;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no '{eventName}' event for {name}\n{output}");
    }

    private static List<JsonElement> Events(SyncWriter output) =>
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.EndsWith('}')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    // <box>/<name>/one.bin and two.bin, and <box>/<name>.torrent beside them (the seedbox's default layout).
    private async Task<TorrentInfo> CreateAsync(string name, int seed)
    {
        var random = new Random(seed);
        foreach (var (file, size) in new[] { ("one.bin", 120_000), ("two.bin", 30_000) })
        {
            var data = new byte[size];
            random.NextBytes(data);
            _temp.WriteFile(Path.Combine("box", name, file), data);
        }

        // Written under another name and renamed, so the seedbox never reads half a file.
        string path = _temp.Combine("box", name + ".torrent");
        var torrent = await TorrentCreator.CreateFileAsync(_temp.Combine("box", name), path + ".part", new TorrentCreatorOptions { PieceLength = 16384, Version = TorrentVersion.V1 });
        File.Move(path + ".part", path);
        return torrent;
    }
}
