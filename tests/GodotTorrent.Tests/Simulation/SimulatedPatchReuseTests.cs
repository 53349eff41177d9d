using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Storage;
using GodotTorrent.Tests.Reuse;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Patch reuse in a swarm on virtual time: a player with version 1.0 updates to 1.1 from a seed,
/// which uploads only the pieces of what changed (plus what a corrupted earlier file spoils).
/// </summary>
public sealed class SimulatedPatchReuseTests : IDisposable
{
    private const int Piece = 32 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(10);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "gt-simreuse-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task The_seed_uploads_only_the_pieces_of_changed_and_added_files(TorrentVersion version)
    {
        var (old, next) = await VersionsAsync(version);
        using var swarm = new SimSwarm(71);
        var (seed, player, update) = Start(swarm, old, next, corrupt: null, out var reusedAlerts);

        Assert.True(swarm.RunUntil(() => update.Status.State == TorrentState.Seeding, Bound), SimulatedSwarmTests.Describe(swarm));

        // c.bin was renamed to e.bin: reused with a.bin and d.bin; b.bin and f.bin changed, g.bin is new.
        var reused = new[] { "a.bin", "d.bin", "e.bin" }.Select(next.IndexOf).ToHashSet();
        long needed = PiecesTouching(next.Torrent, f => !reused.Contains(f));
        long uploaded = swarm.Run(seed.GetStatusAsync()).TotalPayloadUpload;
        Assert.InRange(uploaded, 1, needed);
        Assert.Equal(uploaded, swarm.Run(update.GetStatusAsync()).TotalPayloadDownload);
        var alert = Assert.Single(reusedAlerts);
        Assert.Equal(3, alert.Files);
        Assert.Equal("files_reused", alert.TypeName);
        // Bytes of reused files in pieces the check could verify: in v1 a piece shared with a changed file is downloaded.
        Assert.Equal(BytesOfPiecesHoldingOnly(next.Torrent, reused), alert.Bytes);
        AssertHoldsVersion(swarm, player, next);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public async Task A_corrupted_earlier_file_is_copied_but_its_bad_piece_fails_the_check_and_is_downloaded()
    {
        var (old, next) = await VersionsAsync(TorrentVersion.Hybrid);
        using var swarm = new SimSwarm(72);
        var (seed, player, update) = Start(swarm, old, next, corrupt: "a.bin", out var reusedAlerts);

        Assert.True(swarm.RunUntil(() => update.Status.State == TorrentState.Seeding, Bound), SimulatedSwarmTests.Describe(swarm));

        // Its pieces root still matches (metadata), so a.bin is copied; the check then finds its
        // first piece bad, and that piece is downloaded with the changed files'.
        var reused = new[] { "a.bin", "d.bin", "e.bin" }.Select(next.IndexOf).ToHashSet();
        long needed = PiecesTouching(next.Torrent, f => !reused.Contains(f)) + Piece;
        long uploaded = swarm.Run(seed.GetStatusAsync()).TotalPayloadUpload;
        Assert.InRange(uploaded, PiecesTouching(next.Torrent, f => !reused.Contains(f)) + 1, needed);
        var alert = Assert.Single(reusedAlerts);
        Assert.Equal(3, alert.Files);
        Assert.Equal(BytesOfPiecesHoldingOnly(next.Torrent, reused) - Piece, alert.Bytes);
        AssertHoldsVersion(swarm, player, next);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public async Task A_torrent_added_with_resume_data_does_not_reuse_again()
    {
        var (old, next) = await VersionsAsync(TorrentVersion.Hybrid);
        using var swarm = new SimSwarm(73);
        var (_, player, update) = Start(swarm, old, next, corrupt: null, out var reusedAlerts);
        Assert.True(swarm.RunUntil(() => update.Status.State == TorrentState.Seeding, Bound), SimulatedSwarmTests.Describe(swarm));
        var resume = swarm.Run(update.SaveResumeDataAsync());
        swarm.Run(player.Session.RemoveTorrentAsync(update));

        // Resume data already says what is verified: the earlier version is not read again.
        var again = swarm.AddTorrent(player, new AddTorrentParams
        {
            Torrent = next.Torrent,
            SavePath = "/sim/1.1",
            ResumeData = resume,
            PreviousVersions = [PreviousVersion.FromFolder("/sim/1.0", old.Torrent)],
        });
        Assert.True(swarm.RunUntil(() => again.Status.State == TorrentState.Seeding, Bound), SimulatedSwarmTests.Describe(swarm));

        Assert.Single(reusedAlerts);
        AssertHoldsVersion(swarm, player, next);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    private static (TorrentHandle Seed, SimNode Player, TorrentHandle Update) Start(SimSwarm swarm, ReuseVersion old, ReuseVersion next, string? corrupt, out List<FilesReusedAlert> alerts)
    {
        var seedNode = swarm.AddNode();
        var seed = swarm.AddTorrent(seedNode, new AddTorrentParams { Torrent = next.Torrent, SavePath = "/sim/seed" }, next.PieceSpace());
        var player = swarm.AddNode();
        var installed = swarm.AddTorrent(player, new AddTorrentParams { Torrent = old.Torrent, SavePath = "/sim/1.0" }, old.PieceSpace());
        Assert.True(swarm.RunUntil(() => seed.Status.State == TorrentState.Seeding && installed.Status.State == TorrentState.Seeding, Bound));
        if (corrupt is not null)
        {
            var file = old.Torrent.Files[old.IndexOf(corrupt)];
            swarm.Run(player.Disk["/sim/1.0"].WriteAsync(file.FirstPiece, 100, new byte[] { 1, 2, 3 }).AsTask());
        }

        var seen = new List<FilesReusedAlert>();
        player.Session.Alerts.AlertPosted += (_, e) =>
        {
            if (e.Alert is FilesReusedAlert reused)
            {
                seen.Add(reused);
            }
        };
        alerts = seen;
        var update = swarm.AddTorrent(player, new AddTorrentParams
        {
            Torrent = next.Torrent,
            SavePath = "/sim/1.1",
            Peers = [seedNode.EndPoint],
            PreviousVersions = [PreviousVersion.FromHandle(installed)],
        });
        return (seed, player, update);
    }

    private static long PiecesTouching(TorrentInfo torrent, Func<int, bool> file)
    {
        var layout = new PieceLayout(torrent);
        long bytes = 0;
        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            if (layout.FilesOfPiece(piece).Any(file))
            {
                bytes += torrent.GetPieceSize(piece);
            }
        }

        return bytes;
    }

    private static long BytesOfPiecesHoldingOnly(TorrentInfo torrent, HashSet<int> files)
    {
        var layout = new PieceLayout(torrent);
        long bytes = 0;
        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            if (layout.FilesOfPiece(piece).All(files.Contains))
            {
                foreach (var slice in layout.GetSlices(piece, 0, layout.GetPieceSize(piece)))
                {
                    bytes += slice.Length;
                }
            }
        }

        return bytes;
    }

    private static void AssertHoldsVersion(SimSwarm swarm, SimNode player, ReuseVersion version)
    {
        foreach (var file in version.Torrent.Files.Where(PieceLayout.IsStored))
        {
            Assert.Equal(version.Files[file.Path[(version.Torrent.Name.Length + 1)..]], swarm.ReadFile(player, file, "/sim/1.1"));
        }
    }

    // 1.0: a-f. 1.1: a and d unchanged, b and f changed (same length), c renamed to e, g added.
    private async Task<(ReuseVersion Old, ReuseVersion Next)> VersionsAsync(TorrentVersion version)
    {
        int[] lengths = [300_001, 200_003, 250_007, 180_011, 0, 220_013];
        var files = new Dictionary<string, byte[]>();
        for (int i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] > 0)
            {
                files[$"{(char)('a' + i)}.bin"] = ReuseVersion.Bytes(lengths[i], i + 1);
            }
        }

        var old = await ReuseVersion.WriteAsync(Path.Combine(_root, "1.0"), "game", files, version, Piece);
        var nextFiles = new Dictionary<string, byte[]>
        {
            ["a.bin"] = files["a.bin"],
            ["b.bin"] = ReuseVersion.Changed(files["b.bin"]),
            ["d.bin"] = files["d.bin"],
            ["e.bin"] = files["c.bin"],
            ["f.bin"] = ReuseVersion.Changed(files["f.bin"]),
            ["g.bin"] = ReuseVersion.Bytes(90_017, 99),
        };
        var next = await ReuseVersion.WriteAsync(Path.Combine(_root, "1.1"), "game", nextFiles, version, Piece);
        return (old, next);
    }
}
