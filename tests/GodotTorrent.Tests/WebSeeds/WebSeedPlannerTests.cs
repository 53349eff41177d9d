using GodotTorrent.Metainfo;
using GodotTorrent.Tests.Session;
using GodotTorrent.WebSeeds;

namespace GodotTorrent.Tests.WebSeeds;

/// <summary>Runs of the piece space to HTTP ranges: across files, pad files and empty files, the last short piece, v2 alignment. Real files (the torrents are created from them).</summary>
public sealed class WebSeedPlannerTests
{
    private const int Piece = 16384;

    [Fact]
    public async Task PieceAcrossFilesBecomesOneRangePerFileSkippingEmptyFiles()
    {
        await using var swarm = new SwarmFixture();
        var torrent = await swarm.CreateContentAsync(swarm.Folder("seed"), "p", [("a.bin", 10_000), ("b.txt", 0), ("c.bin", 10_000), ("d.bin", 30_000)], pieceLength: Piece);
        var planner = new WebSeedPlanner("http://cdn.test/", torrent);

        var segments = planner.Plan(0, Piece);

        Assert.Equal(
            [new WebSeedSegment("http://cdn.test/p/a.bin", 0, 10_000, 10_000), new WebSeedSegment("http://cdn.test/p/c.bin", 0, Piece - 10_000, 10_000)],
            segments);
    }

    [Fact]
    public async Task LastShortPieceEndsAtTheLastFile()
    {
        await using var swarm = new SwarmFixture();
        var torrent = await swarm.CreateContentAsync(swarm.Folder("seed"), "p", [("a.bin", 40_000)], pieceLength: Piece);
        var planner = new WebSeedPlanner("http://cdn.test/", torrent);
        int last = torrent.PieceCount - 1;

        var segments = planner.Plan((long)last * Piece, torrent.GetPieceSize(last));

        Assert.Equal([new WebSeedSegment("http://cdn.test/p/a.bin", 2L * Piece, 40_000 - (2 * Piece), 40_000)], segments);
    }

    [Fact]
    public async Task HybridPadFilesAreZerosNeverRequested()
    {
        await using var swarm = new SwarmFixture();
        var torrent = await swarm.CreateContentAsync(swarm.Folder("seed"), "h", [("a.bin", 10_000), ("b.bin", 20_000)], pieceLength: Piece, version: TorrentVersion.Hybrid);
        var pad = torrent.Files.First(f => f.IsPad);
        var b = torrent.Files.Single(f => f.Path.EndsWith("b.bin", StringComparison.Ordinal));
        Assert.Equal(Piece, b.Offset);
        var planner = new WebSeedPlanner("http://cdn.test/", torrent);

        var segments = planner.Plan(0, 2 * Piece);

        Assert.Equal(
            [
                new WebSeedSegment("http://cdn.test/h/a.bin", 0, 10_000, 10_000),
                new WebSeedSegment(null, 0, pad.Length, pad.Length),
                new WebSeedSegment("http://cdn.test/h/b.bin", 0, Piece, 20_000),
            ],
            segments);
    }

    [Fact]
    public async Task V2FilesStartOnPieceBoundaries()
    {
        await using var swarm = new SwarmFixture();
        var torrent = await swarm.CreateContentAsync(swarm.Folder("seed"), "v", [("a.bin", 10_000), ("b.bin", 20_000)], pieceLength: Piece, version: TorrentVersion.V2);
        var planner = new WebSeedPlanner("http://cdn.test/", torrent);
        var b = torrent.Files.Single(f => f.Path.EndsWith("b.bin", StringComparison.Ordinal));

        var first = planner.Plan(0, torrent.GetPieceSize(0));
        var second = planner.Plan(b.Offset, torrent.GetPieceSize(b.FirstPiece));

        Assert.Equal([new WebSeedSegment("http://cdn.test/v/a.bin", 0, 10_000, 10_000)], first);
        Assert.Equal([new WebSeedSegment("http://cdn.test/v/b.bin", 0, Piece, 20_000)], second);
    }

    [Fact]
    public async Task RunOfSeveralPiecesInsideOneFileIsOneRange()
    {
        await using var swarm = new SwarmFixture();
        var torrent = await swarm.CreateContentAsync(swarm.Folder("seed"), "p", [("a.bin", 100), ("big.bin", 200_000)], pieceLength: Piece);
        var planner = new WebSeedPlanner("http://cdn.test/", torrent);

        var segments = planner.Plan(Piece, 4 * Piece);

        Assert.Equal([new WebSeedSegment("http://cdn.test/p/big.bin", Piece - 100, 4 * Piece, 200_000)], segments);
    }
}
