using System.Diagnostics;
using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>
/// Real files: a file truncated under a seed and a real full file system (tmpfs) are the point.
/// An interrupted download resumed by a new session runs on the simulation (SimulatedTransferTests).
/// </summary>
public class ResumeAndErrorTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_file_truncated_under_a_seed_stops_it_with_an_error_and_resuming_recovers()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 3_000_000)], pieceLength: 65536);
        var original = await File.ReadAllBytesAsync(Path.Combine(seedFolder, "pack", "a.bin"));
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        using var cts = new CancellationTokenSource(Deadline);
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        // The file shrinks while seeding: the next upload read finds it short.
        await using (var stream = new FileStream(Path.Combine(seedFolder, "pack", "a.bin"), FileMode.Open))
        {
            stream.SetLength(1000);
        }

        var leecher = await swarm.StartSessionAsync();
        var downloadFolder = swarm.Folder("download");
        var download = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = downloadFolder, Peers = [SwarmFixture.EndPointOf(seeder)] });

        var failed = await seed.WaitForStateAsync(TorrentState.Error, cts.Token);
        Assert.Equal(ErrorCode.FileMissing, failed.Error);
        var alerts = seeder.PopAlerts();
        Assert.Contains(alerts, a => a is TorrentErrorAlert { Error: ErrorCode.FileMissing });
        Assert.Contains(alerts, a => a is FileErrorAlert { FileIndex: 0 });
        Assert.Equal(torrent.PieceCount, failed.PiecesDone);

        // Put the data back and resume: the torrent checks again and seeds.
        await File.WriteAllBytesAsync(Path.Combine(seedFolder, "pack", "a.bin"), original, cts.Token);
        await seed.ResumeAsync(cts.Token);
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        await download.ConnectPeerAsync(SwarmFixture.EndPointOf(seeder), cts.Token);
        await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        SwarmFixture.AssertSameFiles(seedFolder, downloadFolder, torrent);
    }

    [Fact]
    public async Task A_full_disk_stops_the_download_keeps_verified_pieces_and_resuming_recovers()
    {
        await using var swarm = new SwarmFixture();
        var mount = swarm.Folder("small-disk");
        if (!OperatingSystem.IsLinux() || !Run("mount", $"-t tmpfs -o size=1m tmpfs {mount}"))
        {
            return; // Needs root on Linux to make a small file system.
        }

        try
        {
            var seedFolder = swarm.Folder("seed");
            var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 2_500_000)], pieceLength: 65536);
            var seeder = await swarm.StartSessionAsync();
            var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
            using var cts = new CancellationTokenSource(Deadline);
            await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

            var leecher = await swarm.StartSessionAsync();
            var download = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = mount, Peers = [SwarmFixture.EndPointOf(seeder)] });
            var failed = await download.WaitForStateAsync(TorrentState.Error, cts.Token);

            Assert.Equal(ErrorCode.DiskFull, failed.Error);
            Assert.Contains(leecher.PopAlerts(), a => a is TorrentErrorAlert { Error: ErrorCode.DiskFull });
            Assert.True(failed.PiecesDone > 0, "pieces verified before the disk filled up are kept");

            Assert.True(Run("mount", $"-o remount,size=16m {mount}"));
            await download.ResumeAsync(cts.Token);
            await download.WaitForAsync(s => s.State == TorrentState.Downloading || s.State == TorrentState.Seeding, cts.Token);
            await download.ConnectPeerAsync(SwarmFixture.EndPointOf(seeder), cts.Token);
            var done = await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);
            Assert.True(done.TotalPayloadDownload < torrent.TotalSize + (2L * torrent.PieceLength) + failed.TotalPayloadDownload);
            SwarmFixture.AssertSameFiles(seedFolder, mount, torrent);
            await leecher.DisposeAsync();
        }
        finally
        {
            Run("umount", $"-l {mount}");
        }
    }

    [Fact]
    public async Task A_save_path_that_is_a_file_stops_the_torrent_with_an_error_and_resuming_recovers()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 200_000)], pieceLength: 65536);
        var savePath = Path.Combine(swarm.Folder("player"), "downloads");
        await File.WriteAllTextAsync(savePath, "a file where the folder should be");
        var session = await swarm.StartSessionAsync();
        using var cts = new CancellationTokenSource(Deadline);

        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = savePath }, cts.Token);
        var failed = await handle.WaitForStateAsync(TorrentState.Error, cts.Token);

        Assert.Equal(ErrorCode.StorageIo, failed.Error);
        Assert.Contains(savePath, failed.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(session.PopAlerts(), a => a is TorrentErrorAlert { Error: ErrorCode.StorageIo });
        Assert.True(File.Exists(savePath), "the file in the way is left alone");

        // The player moves the file away: resuming creates the folder and checks.
        File.Delete(savePath);
        await handle.ResumeAsync(cts.Token);
        await handle.WaitForStateAsync(TorrentState.Downloading, cts.Token);
        Assert.True(Directory.Exists(savePath));
    }

    private static bool Run(string command, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            return process.WaitForExit(10_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
