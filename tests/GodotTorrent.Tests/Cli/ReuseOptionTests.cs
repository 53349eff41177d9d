using System.Text.Json;
using GodotTorrent.Cli;
using GodotTorrent.Metainfo;
using GodotTorrent.Tests.Reuse;
using GodotTorrent.Tests.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// <c>download --reuse DIR[=TORRENT]</c>: in-process on 127.0.0.1 with real sockets and files, as
/// <see cref="TransferCommandTests"/>.
/// </summary>
public sealed class ReuseOptionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("=old.torrent")]
    [InlineData("")]
    public async Task Bad_values_are_usage_errors(string value)
    {
        var result = await CliRunner.RunAsync("download", "x.torrent", "--out", _temp.Path, "--reuse", value);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--reuse", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Download_with_reuse_fetches_only_what_changed_and_reports_it(bool withTorrent, bool namingTheContentFolder)
    {
        var a = ReuseVersion.Bytes(300_001, 1);
        var b = ReuseVersion.Bytes(200_003, 2);
        var c = ReuseVersion.Bytes(250_007, 3);
        var old = await ReuseVersion.WriteAsync(_temp.Combine("1.0"), "game", new Dictionary<string, byte[]> { ["a.bin"] = a, ["b.bin"] = b, ["c.bin"] = c }, TorrentVersion.Hybrid, 32768);
        var next = await ReuseVersion.WriteAsync(_temp.Combine("1.1"), "game", new Dictionary<string, byte[]> { ["a.bin"] = a, ["b.bin"] = ReuseVersion.Changed(b), ["renamed.bin"] = c }, TorrentVersion.Hybrid, 32768);
        string oldTorrent = _temp.Combine("1.0.torrent");
        string newTorrent = _temp.Combine("1.1.torrent");
        await File.WriteAllBytesAsync(oldTorrent, old.Torrent.ToBytes());
        await File.WriteAllBytesAsync(newTorrent, next.Torrent.ToBytes());

        using var seedOut = new SyncWriter();
        using var seedErr = new SyncWriter();
        using var stopSeed = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var seeding = Task.Run(() => Program.RunAsync(
            ["seed", newTorrent, "--data", next.SaveFolder, "--port", "0", "--listen", "127.0.0.1", "--no-dht", "--json", "--timeout", "120"],
            seedOut, seedErr, stopSeed.Token));
        int port = await TransferCommandTests.ListeningPortAsync(seedOut, seeding);

        // The content folder (<save folder>/game) is what a user may point at too.
        string folder = namingTheContentFolder ? Path.Combine(old.SaveFolder, "game") : old.SaveFolder;
        string reuse = withTorrent ? $"{folder}={oldTorrent}" : folder;
        var result = await CliRunner.RunAsync(
            "download", newTorrent, "--peer", $"127.0.0.1:{port}", "--out", _temp.Combine("download"), "--reuse", reuse,
            "--listen", "127.0.0.1", "--no-dht", "--json", "--timeout", "60");
        await stopSeed.CancelAsync();
        await seeding.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.ToString());
        SwarmFixture.AssertSameFiles(next.SaveFolder, _temp.Combine("download"), next.Torrent);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var reused = lines.Single(l => l.GetProperty("event").GetString() == "reused");
        Assert.Equal("complete", lines[^1].GetProperty("event").GetString());
        Assert.Equal(2, reused.GetProperty("files_reused").GetInt32());
        Assert.Equal(3, reused.GetProperty("total_files").GetInt32());
        Assert.Equal(a.Length + c.Length, reused.GetProperty("bytes_reused").GetInt64());
        // b.bin's pieces only (hybrid: files start on piece boundaries).
        long downloaded = reused.GetProperty("bytes_downloaded").GetInt64();
        Assert.InRange(downloaded, b.Length, b.Length + 32768);
        Assert.Equal(downloaded, lines[^1].GetProperty("total_download").GetInt64());
    }
}
