using System.Globalization;
using System.Text.Json;
using GodotTorrent.Interop.Harness;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Patch reuse against libtorrent: a 200 MiB game folder of 40 files goes from 1.0 to 1.1 (two
/// files changed, one renamed, one added); libtorrent seeds 1.1 and our CLI updates with
/// <c>download --reuse</c> from the 1.0 folder. Only the changed and added files' pieces may travel.
/// </summary>
public sealed class PatchReuseInteropTests(ITestOutputHelper output) : IDisposable
{
    private const int PieceSize = 256 * 1024;
    private const int Seed = 15;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(LtVersion.V1, true)]
    [InlineData(LtVersion.Hybrid, true)]
    [InlineData(LtVersion.V1, false)]
    public async Task Libtorrent_seeds_1_1_and_we_download_only_what_changed_since_1_0(LtVersion version, bool withOldTorrent)
    {
        var (changedBytes, reusedFiles) = MakeVersions();
        var oldTorrent = _data.PathOf("game-1.0.torrent");
        var newTorrent = _data.PathOf("game-1.1.torrent");
        await Libtorrent.CreateAsync(new LtCreateOptions(_data.PathOf("1.0/game"), oldTorrent) { PieceSize = PieceSize, Version = version });
        await Libtorrent.CreateAsync(new LtCreateOptions(_data.PathOf("1.1/game"), newTorrent) { PieceSize = PieceSize, Version = version });
        using var seed = await LibtorrentPeer.StartSeedAsync(newTorrent, _data.PathOf("1.1"));

        string reuse = withOldTorrent ? $"{_data.PathOf("1.0")}={oldTorrent}" : _data.PathOf("1.0");
        var run = await OurCli.RunAsync(
            ["download", newTorrent, "--out", _data.PathOf("update"), "--reuse", reuse, "--peer", $"127.0.0.1:{seed.Port.ToString(CultureInfo.InvariantCulture)}",
             "--no-dht", "--no-lsd", "--no-port-mapping", "--listen", "127.0.0.1", "--port", "0", "--json", "--timeout", "100"],
            Timeout);

        Assert.True(run.ExitCode == 0, $"{run.StandardOutput}\n{run.StandardError}\n{seed.Process.StandardError}");
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var reused = lines.Single(l => l.GetProperty("event").GetString() == "reused");
        long downloaded = reused.GetProperty("bytes_downloaded").GetInt64();
        long bytesReused = reused.GetProperty("bytes_reused").GetInt64();
        output.WriteLine(
            $"{version}, earlier torrent {(withOldTorrent ? "given" : "not given")}: reused {reused.GetProperty("files_reused").GetInt32()} of "
            + $"{reused.GetProperty("total_files").GetInt32()} files ({bytesReused:N0} bytes), downloaded {downloaded:N0} bytes "
            + $"(changed and added {changedBytes:N0}), libtorrent's last once-a-second upload sample {seed.Uploaded:N0} (lags), {run.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(reusedFiles, reused.GetProperty("files_reused").GetInt32());
        Assert.Equal(41, reused.GetProperty("total_files").GetInt32());
        Assert.InRange(downloaded, changedBytes, changedBytes + (2 * PieceSize));
        foreach (var file in Directory.EnumerateFiles(_data.PathOf("1.1"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_data.PathOf("1.1"), file);
            Assert.Equal(OurSessions.Sha256(file), OurSessions.Sha256(Path.Combine(_data.PathOf("update"), relative)));
        }
    }

    // 1.0: 40 files, about 200 MiB. 1.1: pak10 and pak11 changed (same length), pak25 renamed,
    // pak10b added; the three new contents sit next to each other in the torrent's file order.
    private (long ChangedBytes, int ReusedFiles) MakeVersions()
    {
        long changed = 0;
        for (int i = 0; i < 40; i++)
        {
            string name = $"data/pak{i.ToString("00", CultureInfo.InvariantCulture)}.bin";
            long size = (5L << 20) + ((i * 7919L) % (1 << 20)) - (1 << 19) + 1 + (2 * i);
            if (i is 10 or 11)
            {
                size = (5L << 20) + (i == 10 ? 200_000 : 250_000);
            }

            var bytes = TestData.Content(Seed, name, size);
            Write("1.0/game/" + name, bytes);
            if (i is 10 or 11)
            {
                bytes[size / 2] ^= 0xFF;
                bytes[(size / 2) + 4097] ^= 0xFF;
                changed += size;
            }

            Write("1.1/game/" + (i == 25 ? "data/pak25-renamed.bin" : name), bytes);
        }

        var added = TestData.Content(Seed, "data/pak10b.bin", (3L << 20) + 180_001);
        Write("1.1/game/data/pak10b.bin", added);
        return (changed + added.Length, 38);
    }

    private void Write(string relative, byte[] bytes)
    {
        var path = _data.PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}
