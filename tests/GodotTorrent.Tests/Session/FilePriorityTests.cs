using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>Files of priority 0 (skip) are neither downloaded nor created.</summary>
public class FilePriorityTests
{
    [Fact]
    public async Task A_skipped_file_is_not_downloaded_nor_created_and_the_torrent_ends_finished()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        // Piece boundaries fall inside the files, so the skipped file shares a piece with each neighbour.
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 300_000), ("b.bin", 1_000_000), ("c.bin", 250_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var skipped = torrent.Files.Single(f => f.Path.EndsWith("b.bin", StringComparison.Ordinal));
        var leecher = await swarm.StartSessionAsync();
        var downloadFolder = swarm.Folder("download");
        var download = await leecher.AddTorrentAsync(new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = downloadFolder,
            FilePriorities = [.. torrent.Files.Select(f => f.Index == skipped.Index ? Priority.Skip : Priority.Normal)],
            Peers = [SwarmFixture.EndPointOf(seeder)],
        });

        var status = await download.WaitForStateAsync(TorrentState.Finished, cts.Token);

        Assert.False(status.IsSeeding);
        Assert.True(status.IsFinished);
        Assert.Equal(1.0, status.Progress);
        Assert.Equal(550_000, status.TotalWanted);
        Assert.Equal(550_000, status.TotalWantedDone);
        Assert.True(status.PiecesDone < torrent.PieceCount);

        Assert.False(File.Exists(Path.Combine(downloadFolder, skipped.Path)), "the skipped file was created");

        // Only the pieces that hold bytes of wanted files were fetched (the shared ones included).
        int wantedPieces = torrent.Files.Where(f => f.Length > 0 && f.Index != skipped.Index)
            .SelectMany(f => Enumerable.Range(f.FirstPiece, f.LastPiece - f.FirstPiece + 1)).Distinct().Count();
        Assert.Equal(wantedPieces, status.PiecesDone);
        Assert.True(status.TotalPayloadDownload < 2 * 550_000, $"downloaded {status.TotalPayloadDownload} bytes for 550000 wanted");

        foreach (var file in torrent.Files.Where(f => f.Index != skipped.Index))
        {
            Assert.Equal(SwarmFixture.Sha256(Path.Combine(seedFolder, file.Path)), SwarmFixture.Sha256(Path.Combine(downloadFolder, file.Path)));
        }

        // The state stays Finished (not Seeding) while the app keeps the file skipped.
        await Task.Delay(1500, cts.Token);
        Assert.Equal(TorrentState.Finished, (await download.GetStatusAsync(cts.Token)).State);

        // Wanting the file later downloads it, and the torrent becomes a seed with every file equal.
        await download.SetFilePriorityAsync(skipped.Index, Priority.Normal, cts.Token);
        await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        SwarmFixture.AssertSameFiles(seedFolder, downloadFolder, torrent);
    }
}
