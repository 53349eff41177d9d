using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// What the picker chooses, seen from a downloader on virtual time: sequential order, file edges
/// first, skipped files. (These ran on loopback sockets and the real clock before the simulation.)
/// </summary>
public sealed class SimulatedPickingTests
{
    [Fact]
    public void SequentialDownloadFinishesPiecesInOrder()
    {
        var order = PieceOrder(p => p with { SequentialDownload = true });
        Assert.Equal(40, order.Count);
        // With a rate limit one request round is in flight at a time, so pieces finish close to in order.
        int inversions = order.Zip(order.Skip(1)).Count(p => p.Second < p.First);
        Assert.True(inversions <= 4, $"{inversions} out-of-order pieces: {string.Join(",", order)}");
    }

    [Fact]
    public void FirstAndLastPiecesOfEachFileComeEarly()
    {
        var order = PieceOrder(p => p with { FirstAndLastPiecesFirst = true });
        int[] edges = [0, 19, 20, 39];
        var positions = edges.Select(e => order.IndexOf(e)).ToList();
        Assert.All(positions, position => Assert.InRange(position, 0, 11));
    }

    [Fact]
    public void ASkippedFileIsNotDownloadedNorCreatedAndTheTorrentEndsFinished()
    {
        using var swarm = new SimSwarm(25);
        // Piece boundaries fall inside the files, so the skipped file shares a piece with each neighbour.
        var content = SimContent.Create("pack", [("a.bin", 300_000), ("b.bin", 1_000_000), ("c.bin", 250_000)]);
        var torrent = content.Torrent;
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = torrent, SavePath = "" }, content.PieceSpace);
        var skipped = torrent.Files.Single(f => f.Path.EndsWith("b.bin", StringComparison.Ordinal));
        var leecher = swarm.AddNode();
        var download = swarm.AddTorrent(leecher, new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = "",
            FilePriorities = [.. torrent.Files.Select(f => f.Index == skipped.Index ? Priority.Skip : Priority.Normal)],
            Peers = [seed.EndPoint],
        });

        Assert.True(swarm.RunUntil(() => download.Status.State == TorrentState.Finished, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        var status = swarm.Status(leecher);
        Assert.False(status.IsSeeding);
        Assert.True(status.IsFinished);
        Assert.Equal(1.0, status.Progress);
        Assert.Equal(550_000, status.TotalWanted);
        Assert.Equal(550_000, status.TotalWantedDone);
        Assert.True(status.PiecesDone < torrent.PieceCount);
        Assert.False(leecher.Disk[$"/sim/{leecher}"].GetFileState(skipped.Index).Exists, "the skipped file was created");

        // Only the pieces that hold bytes of wanted files were fetched (the shared ones included).
        int wantedPieces = torrent.Files.Where(f => f.Length > 0 && f.Index != skipped.Index)
            .SelectMany(f => Enumerable.Range(f.FirstPiece, f.LastPiece - f.FirstPiece + 1)).Distinct().Count();
        Assert.Equal(wantedPieces, status.PiecesDone);
        Assert.True(status.TotalPayloadDownload < 2 * 550_000, $"downloaded {status.TotalPayloadDownload} bytes for 550000 wanted");
        foreach (var file in torrent.Files.Where(f => f.Index != skipped.Index))
        {
            Assert.Equal(content.Bytes(file), swarm.ReadFile(leecher, file));
        }

        // The state stays Finished (not Seeding) while the app keeps the file skipped.
        swarm.RunFor(TimeSpan.FromSeconds(30));
        Assert.Equal(TorrentState.Finished, swarm.Status(leecher).State);

        // Wanting the file later downloads it, and the torrent becomes a seed with every file equal.
        swarm.Run(download.SetFilePriorityAsync(skipped.Index, Priority.Normal));
        Assert.True(swarm.RunUntil(() => download.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        SimulatedSwarmTests.AssertHolds(swarm, leecher, content.PieceSpace);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    private static List<int> PieceOrder(Func<AddTorrentParams, AddTorrentParams> configure)
    {
        using var swarm = new SimSwarm(24);
        var content = SimContent.Create("pack", [("a.bin", 20 * 32768), ("b.bin", 20 * 32768)]);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All });
        var handle = swarm.AddTorrent(leecher, configure(new AddTorrentParams
        {
            Torrent = content.Torrent,
            SavePath = "",
            Peers = [seed.EndPoint],
            DownloadRateLimit = 160 * 1024,
        }));

        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        return leecher.Session.PopAlerts().OfType<PieceFinishedAlert>().Select(a => a.PieceIndex).ToList();
    }
}
