using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Storage;

namespace GodotTorrent.Tests.Session;

/// <summary>Handle operations on in-process swarms: rename, move, read piece, progress, availability, errors, modes, limits.</summary>
public class HandleOperationsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_file_renamed_while_seeding_moves_on_disk_and_a_new_downloader_gets_the_right_bytes()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 300_000), ("b.bin", 200_000)]);
        var original = await File.ReadAllBytesAsync(Path.Combine(seedFolder, torrent.Files[0].Path));
        using var cts = new CancellationTokenSource(Deadline);
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        await seed.RenameFileAsync(0, "pack/renamed/a2.bin", cts.Token);

        var seen = new List<Alert>();
        var renamed = await SwarmFixture.WaitForAlertAsync<FileRenamedAlert>(seeder, seen, _ => true, cts.Token);
        Assert.Equal(0, renamed.FileIndex);
        Assert.Equal("pack/renamed/a2.bin", renamed.NewPath);
        Assert.False(File.Exists(Path.Combine(seedFolder, torrent.Files[0].Path)));
        Assert.Equal(original, await File.ReadAllBytesAsync(Path.Combine(seedFolder, "pack", "renamed", "a2.bin"), cts.Token));

        // A path leaving the save folder is refused with a typed error and an alert.
        var refused = await Assert.ThrowsAsync<TorrentException>(() => seed.RenameFileAsync(1, "../escape.bin", cts.Token));
        Assert.Equal(ErrorCode.InvalidPath, refused.ErrorCode);
        await SwarmFixture.WaitForAlertAsync<FileRenameFailedAlert>(seeder, seen, a => a.FileIndex == 1 && a.Error == ErrorCode.InvalidPath, cts.Token);
        var noFile = await Assert.ThrowsAsync<TorrentException>(() => seed.RenameFileAsync(7, "pack/x.bin", cts.Token));
        Assert.Equal(ErrorCode.InvalidArgument, noFile.ErrorCode);

        // Seeding reads the renamed file: a new downloader gets every byte right.
        var leecher = await swarm.StartSessionAsync();
        var downloadFolder = swarm.Folder("download");
        var download = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = downloadFolder, Peers = [SwarmFixture.EndPointOf(seeder)] });
        await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        Assert.Equal(original, await File.ReadAllBytesAsync(Path.Combine(downloadFolder, torrent.Files[0].Path), cts.Token));
        Assert.Equal(
            SwarmFixture.Sha256(Path.Combine(seedFolder, torrent.Files[1].Path)),
            SwarmFixture.Sha256(Path.Combine(downloadFolder, torrent.Files[1].Path)));

        // Resume data remembers the new name, and saving it is announced.
        var resume = await seed.SaveResumeDataAsync(cts.Token);
        Assert.Equal("pack/renamed/a2.bin", resume.RenamedFiles[0]);
        Assert.False(resume.RenamedFiles.ContainsKey(1));
        await SwarmFixture.WaitForAlertAsync<SaveResumeDataAlert>(seeder, seen, a => ReferenceEquals(a.ResumeData, resume), cts.Token);

        // A restart from that resume data finds the renamed file and seeds straight away.
        await seeder.RemoveTorrentAsync(seed, cancellationToken: cts.Token);
        var again = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder, ResumeData = resume }, cts.Token);
        var restarted = await again.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        Assert.Equal(torrent.PieceCount, restarted.PiecesDone);
    }

    [Fact]
    public async Task Moving_a_seed_reports_progress_and_it_seeds_from_the_new_folder()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 700_000), ("sub/b.bin", 300_000)]);
        var content = swarm.Folder("content");
        CopyFiles(seedFolder, content, torrent);
        using var cts = new CancellationTokenSource(Deadline);
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var target = Path.Combine(swarm.Root, "moved", "seed");
        long reported = 0;
        await seed.MoveStorageAsync(target, new SyncProgress<long>(v => Interlocked.Exchange(ref reported, v)), cts.Token);

        var seen = new List<Alert>();
        var moved = await SwarmFixture.WaitForAlertAsync<StorageMovedAlert>(seeder, seen, _ => true, cts.Token);
        Assert.Equal(Path.GetFullPath(target), moved.NewSavePath);
        Assert.Equal(torrent.TotalSize, Interlocked.Read(ref reported));
        Assert.Equal(Path.GetFullPath(target), (await seed.GetStatusAsync(cts.Token)).SavePath);
        SwarmFixture.AssertSameFiles(content, target, torrent);
        Assert.Empty(Directory.EnumerateFiles(seedFolder, "*", SearchOption.AllDirectories));

        var leecher = await swarm.StartSessionAsync();
        var downloadFolder = swarm.Folder("download");
        var download = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = downloadFolder, Peers = [SwarmFixture.EndPointOf(seeder)] });
        await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        SwarmFixture.AssertSameFiles(content, downloadFolder, torrent);
        Assert.Equal(TorrentState.Seeding, (await seed.GetStatusAsync(cts.Token)).State);

        // A folder where a file is in the way: the move fails as a whole and the seed stays put.
        var blocked = Path.Combine(swarm.Root, "blocked");
        Directory.CreateDirectory(Path.Combine(blocked, "pack"));
        await File.WriteAllBytesAsync(Path.Combine(blocked, torrent.Files[0].Path), [1, 2, 3], cts.Token);
        var error = await Assert.ThrowsAsync<TorrentException>(() => seed.MoveStorageAsync(blocked, cancellationToken: cts.Token));
        Assert.Equal(ErrorCode.FileExists, error.ErrorCode);
        await SwarmFixture.WaitForAlertAsync<StorageMovedFailedAlert>(seeder, seen, a => a.Error == ErrorCode.FileExists, cts.Token);
        Assert.Equal(Path.GetFullPath(target), (await seed.GetStatusAsync(cts.Token)).SavePath);
        SwarmFixture.AssertSameFiles(content, target, torrent);
    }

    [Fact]
    public async Task Moving_a_half_finished_download_continues_it_in_the_new_folder()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 1_200_000), ("b.bin", 800_000)], pieceLength: 65536);
        using var cts = new CancellationTokenSource(Deadline);
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var leecher = await swarm.StartSessionAsync();
        var downloadFolder = swarm.Folder("download");
        var download = await leecher.AddTorrentAsync(new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = downloadFolder,
            Peers = [SwarmFixture.EndPointOf(seeder)],
            DownloadRateLimit = 1024 * 1024,
        });
        await download.WaitForAsync(s => s.Progress >= 0.25, cts.Token);

        var target = Path.Combine(swarm.Root, "elsewhere");
        long reported = 0;
        await download.MoveStorageAsync(target, new SyncProgress<long>(v => Interlocked.Exchange(ref reported, v)), cts.Token);
        var status = await download.GetStatusAsync(cts.Token);
        Assert.True(status.State == TorrentState.Downloading, $"the move was expected half way, the torrent is {status.State}");
        Assert.True(Interlocked.Read(ref reported) > 0);
        Assert.Equal(Path.GetFullPath(target), status.SavePath);
        await SwarmFixture.WaitForAlertAsync<StorageMovedAlert>(leecher, [], _ => true, cts.Token);

        await download.SetRateLimitsAsync(0, 0, cts.Token);
        await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        SwarmFixture.AssertSameFiles(seedFolder, target, torrent);
        Assert.Empty(Directory.EnumerateFiles(downloadFolder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Reading_a_piece_returns_its_bytes_and_posts_an_alert_and_unverified_pieces_are_a_typed_error()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 50_000), ("b.bin", 70_000)]);
        var all = (await File.ReadAllBytesAsync(Path.Combine(seedFolder, torrent.Files[0].Path)))
            .Concat(await File.ReadAllBytesAsync(Path.Combine(seedFolder, torrent.Files[1].Path))).ToArray();
        using var cts = new CancellationTokenSource(Deadline);
        var session = await swarm.StartSessionAsync();
        var seed = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var seen = new List<Alert>();
        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            var data = await seed.ReadPieceAsync(piece, cts.Token);
            Assert.Equal(all.AsSpan(piece * torrent.PieceLength, torrent.GetPieceSize(piece)).ToArray(), data.ToArray());
            Assert.True(await seed.HavePieceAsync(piece, cts.Token));
            var alert = await SwarmFixture.WaitForAlertAsync<ReadPieceAlert>(session, seen, a => a.PieceIndex == piece, cts.Token);
            Assert.Equal(ErrorCode.None, alert.Error);
            Assert.Equal(data.ToArray(), alert.Data.ToArray());
        }

        Assert.True(seed.HavePiece(1));
        await seed.FlushAsync(cts.Token);
        var invalid = await Assert.ThrowsAsync<TorrentException>(() => seed.ReadPieceAsync(torrent.PieceCount, cts.Token));
        Assert.Equal(ErrorCode.InvalidArgument, invalid.ErrorCode);
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<TorrentException>(() => seed.HavePieceAsync(-1, cts.Token))).ErrorCode);

        // A torrent with no data and no peers has nothing verified.
        var emptyFolder = swarm.Folder("empty");
        var other = await swarm.StartSessionAsync();
        var empty = await other.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = emptyFolder });
        await empty.WaitForStateAsync(TorrentState.Downloading, cts.Token);
        var unverified = await Assert.ThrowsAsync<TorrentException>(() => empty.ReadPieceAsync(0, cts.Token));
        Assert.Equal(ErrorCode.PieceNotVerified, unverified.ErrorCode);
        var failed = await SwarmFixture.WaitForAlertAsync<ReadPieceAlert>(other, [], a => a.PieceIndex == 0, cts.Token);
        Assert.Equal(ErrorCode.PieceNotVerified, failed.ErrorCode);
        Assert.True(failed.Data.IsEmpty);
        Assert.False(await empty.HavePieceAsync(0, cts.Token));
        Assert.Equal(new long[torrent.Files.Count], await empty.GetFileProgressAsync(cts.Token));
        await empty.FlushAsync(cts.Token);
    }

    [Fact]
    public async Task Per_file_progress_counts_verified_bytes_and_sums_to_the_total_done()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 300_000), ("b.bin", 1_000_000), ("c.bin", 250_000)]);
        using var cts = new CancellationTokenSource(Deadline);
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        Assert.Equal(torrent.Files.Select(f => f.Length), await seed.GetFileProgressAsync(cts.Token));

        var leecher = await swarm.StartSessionAsync();
        var download = await leecher.AddTorrentAsync(new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = swarm.Folder("download"),
            FilePriorities = [Priority.Normal, Priority.Skip, Priority.Normal],
            Peers = [SwarmFixture.EndPointOf(seeder)],
        });
        var status = await download.WaitForStateAsync(TorrentState.Finished, cts.Token);
        var progress = await download.GetFileProgressAsync(cts.Token);

        Assert.Equal(300_000, progress[0]);
        Assert.Equal(250_000, progress[2]);
        // The skipped file shares its first and last pieces with its neighbours: those bytes count.
        Assert.InRange(progress[1], 1, 2 * torrent.PieceLength);
        Assert.Equal(status.TotalDone, progress.Sum());
    }

    [Fact]
    public async Task Piece_availability_counts_the_connected_seeds()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 2_000_000)], pieceLength: 65536);
        using var cts = new CancellationTokenSource(Deadline);
        var seederA = await swarm.StartSessionAsync();
        var seedA = await seederA.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        var secondFolder = swarm.Folder("seed2");
        CopyFiles(seedFolder, secondFolder, torrent);
        var seederB = await swarm.StartSessionAsync();
        var seedB = await seederB.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = secondFolder });
        await seedA.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        await seedB.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var leecher = await swarm.StartSessionAsync();
        var download = await leecher.AddTorrentAsync(new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = swarm.Folder("download"),
            Peers = [SwarmFixture.EndPointOf(seederA), SwarmFixture.EndPointOf(seederB)],
            DownloadRateLimit = 32 * 1024, // slow, so the seeds stay connected while we look
        });
        await download.WaitForAsync(s => s.SeedCount == 2, cts.Token);

        var availability = await download.GetPieceAvailabilityAsync(cts.Token);
        Assert.Equal(torrent.PieceCount, availability.Length);
        Assert.All(availability, count => Assert.Equal(2, count));

        // A seed that sees one downloader with few pieces counts at most one copy of each piece.
        Assert.All(await seedA.GetPieceAvailabilityAsync(cts.Token), count => Assert.InRange(count, 0, 1));

        // Without metadata there is nothing to count.
        var magnetSession = await swarm.StartSessionAsync();
        var magnet = await magnetSession.AddTorrentAsync(new AddTorrentParams { Magnet = torrent.ToMagnet(), SavePath = swarm.Folder("magnet") });
        Assert.Empty(await magnet.GetPieceAvailabilityAsync(cts.Token));
        Assert.Empty(await magnet.GetFileProgressAsync(cts.Token));
        var noResume = await Assert.ThrowsAsync<TorrentException>(() => magnet.SaveResumeDataAsync(cts.Token));
        await SwarmFixture.WaitForAlertAsync<SaveResumeDataFailedAlert>(magnetSession, [], a => a.Error == noResume.ErrorCode, cts.Token);
    }

    [Fact]
    public async Task Clearing_an_error_rechecks_and_seeds_again()
    {
        await using var swarm = new SwarmFixture();
        var (seeder, seed, download, seedFolder, downloadFolder, torrent, original, cts) = await SeedWithTruncatedFileAsync(swarm);
        using (cts)
        {
            var failed = await seed.WaitForStateAsync(TorrentState.Error, cts.Token);
            Assert.True(failed.IsPaused);

            // The file is repaired; clearing the error checks it again and the seed resumes on its own.
            await File.WriteAllBytesAsync(Path.Combine(seedFolder, torrent.Files[0].Path), original, cts.Token);
            await seed.ClearErrorAsync(cts.Token);
            var status = await seed.GetStatusAsync(cts.Token);
            Assert.Equal(TorrentState.Seeding, status.State);
            Assert.Equal(ErrorCode.None, status.Error);
            Assert.False(status.IsPaused);

            await download.ConnectPeerAsync(SwarmFixture.EndPointOf(seeder), cts.Token);
            await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);
            SwarmFixture.AssertSameFiles(seedFolder, downloadFolder, torrent);

            // Nothing to clear: a no-op.
            await seed.ClearErrorAsync(cts.Token);
            Assert.Equal(TorrentState.Seeding, (await seed.GetStatusAsync(cts.Token)).State);
        }
    }

    [Fact]
    public async Task Clearing_an_error_keeps_a_pause_the_user_asked_for()
    {
        await using var swarm = new SwarmFixture();
        var (_, seed, _, seedFolder, _, torrent, original, cts) = await SeedWithTruncatedFileAsync(swarm);
        using (cts)
        {
            await seed.WaitForStateAsync(TorrentState.Error, cts.Token);
            await seed.PauseAsync(cts.Token);
            await File.WriteAllBytesAsync(Path.Combine(seedFolder, torrent.Files[0].Path), original, cts.Token);

            await seed.ClearErrorAsync(cts.Token);

            var status = await seed.GetStatusAsync(cts.Token);
            Assert.Equal(TorrentState.Seeding, status.State);
            Assert.True(status.IsPaused);
            Assert.Equal(0, status.PeerCount);
        }
    }

    [Fact]
    public async Task Upload_only_mode_requests_nothing_until_it_is_turned_off()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 500_000)]);
        using var cts = new CancellationTokenSource(Deadline);
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var leecher = await swarm.StartSessionAsync();
        var downloadFolder = swarm.Folder("download");
        var download = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = downloadFolder, Peers = [SwarmFixture.EndPointOf(seeder)], Paused = true });
        await download.SetUploadOnlyAsync(true, cts.Token);
        await download.ResumeAsync(cts.Token);
        await download.WaitForAsync(s => s.PeerCount == 1 && s.State == TorrentState.Downloading, cts.Token);
        await Task.Delay(1500, cts.Token);

        var status = await download.GetStatusAsync(cts.Token);
        Assert.True(status.UploadOnly);
        Assert.Equal(0, status.TotalPayloadDownload);
        Assert.Equal(0, status.PiecesDone);
        var peer = Assert.Single(await download.GetPeersAsync(cts.Token));
        Assert.False(peer.AmInterested);
        Assert.Equal(0, peer.PendingRequests);
        Assert.All(await seed.GetPeersAsync(cts.Token), p => Assert.False(p.PeerInterested));

        await download.SetUploadOnlyAsync(false, cts.Token);
        Assert.False((await download.GetStatusAsync(cts.Token)).UploadOnly);
        await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        SwarmFixture.AssertSameFiles(seedFolder, downloadFolder, torrent);
    }

    [Fact]
    public async Task The_connection_limit_holds_with_three_leechers_and_a_limit_of_one()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 1_000_000)], pieceLength: 65536);
        using var cts = new CancellationTokenSource(Deadline);
        var seeder = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All });
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder, MaxConnections = 1, UploadRateLimit = 200 * 1024 });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var leechers = new List<(TorrentSession Session, TorrentHandle Handle, string Folder)>();
        for (int i = 0; i < 3; i++)
        {
            var session = await swarm.StartSessionAsync();
            var folder = swarm.Folder("download" + i);
            var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = folder, Peers = [SwarmFixture.EndPointOf(seeder)] });
            leechers.Add((session, handle, folder));
        }

        int most = 0;
        for (int i = 0; i < 30; i++)
        {
            most = Math.Max(most, (await seed.GetPeersAsync(cts.Token)).Count);
            await Task.Delay(100, cts.Token);
        }

        Assert.Equal(1, most);
        Assert.Contains(seeder.PopAlerts(), a => a is PeerDisconnectedAlert { Error: ErrorCode.TooManyConnections });

        // Lifting the limit lets the seed reach everyone.
        await seed.SetMaxConnectionsAsync(0, cts.Token);
        await seed.SetRateLimitsAsync(0, 0, cts.Token);
        foreach (var (session, _, _) in leechers)
        {
            await seed.ConnectPeerAsync(SwarmFixture.EndPointOf(session), cts.Token);
        }

        foreach (var (_, handle, folder) in leechers)
        {
            await handle.WaitForStateAsync(TorrentState.Seeding, cts.Token);
            SwarmFixture.AssertSameFiles(seedFolder, folder, torrent);
        }

        await Assert.ThrowsAsync<TorrentException>(() => seed.SetMaxConnectionsAsync(-1, cts.Token));
    }

    [Fact]
    public async Task A_removed_torrents_handle_refuses_every_new_operation()
    {
        await using var swarm = new SwarmFixture();
        var folder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(folder, "pack", [("a.bin", 100_000)]);
        var session = await swarm.StartSessionAsync();
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = folder });
        await session.RemoveTorrentAsync(handle);

        Func<Task>[] operations =
        [
            () => handle.RenameFileAsync(0, "pack/b.bin"),
            () => handle.MoveStorageAsync(swarm.Folder("other")),
            () => handle.GetFileProgressAsync(),
            () => handle.HavePieceAsync(0),
            () => handle.ReadPieceAsync(0),
            () => handle.GetPieceAvailabilityAsync(),
            () => handle.ClearErrorAsync(),
            () => handle.FlushAsync(),
            () => handle.SetUploadOnlyAsync(true),
            () => handle.SetMaxConnectionsAsync(3),
            () => handle.SaveResumeDataAsync(),
        ];
        foreach (var operation in operations)
        {
            var error = await Assert.ThrowsAsync<TorrentException>(operation);
            Assert.Equal(ErrorCode.InvalidHandle, error.ErrorCode);
        }

        Assert.Equal(ErrorCode.InvalidHandle, Assert.Throws<TorrentException>(() => handle.HavePiece(0)).ErrorCode);
    }

    private static async Task<(TorrentSession Seeder, TorrentHandle Seed, TorrentHandle Download, string SeedFolder, string DownloadFolder, TorrentInfo Torrent, byte[] Original, CancellationTokenSource Cts)>
        SeedWithTruncatedFileAsync(SwarmFixture swarm)
    {
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 1_000_000)], pieceLength: 65536);
        var original = await File.ReadAllBytesAsync(Path.Combine(seedFolder, torrent.Files[0].Path));
        var cts = new CancellationTokenSource(Deadline);
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        // The file shrinks while seeding: the next upload read finds it short.
        await using (var stream = new FileStream(Path.Combine(seedFolder, torrent.Files[0].Path), FileMode.Open))
        {
            stream.SetLength(1000);
        }

        var leecher = await swarm.StartSessionAsync();
        var downloadFolder = swarm.Folder("download");
        var download = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = downloadFolder, Peers = [SwarmFixture.EndPointOf(seeder)] });
        return (seeder, seed, download, seedFolder, downloadFolder, torrent, original, cts);
    }

    private static void CopyFiles(string fromRoot, string toRoot, TorrentInfo torrent)
    {
        foreach (var file in torrent.Files.Where(f => !f.IsPad))
        {
            var destination = Path.Combine(toRoot, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(Path.Combine(fromRoot, file.Path), destination);
        }
    }
}
