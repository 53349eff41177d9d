using GodotTorrent.Swarm;

namespace GodotTorrent.Tests.WebSeeds;

/// <summary>A web seed is asked for runs of pieces (one GET each), while rarest-first still decides where a run starts.</summary>
public sealed class WebSeedPickingTests
{
    private const int PieceLength = 32768;

    [Fact]
    public void SourceThatPrefersRunsGetsConsecutivePieces()
    {
        var picker = new PiecePicker(64L * PieceLength, PieceLength, random: new Random(3));
        picker.PeerHasAll(1);
        picker.PeerPrefersRuns(1);
        picker.PeerUnchoked(1);
        var blocks = new BlockRequest[16];

        int count = picker.PickBlocks(1, blocks);

        var pieces = blocks[..count].Select(b => b.Piece).Distinct().ToList();
        Assert.Equal(8, pieces.Count);
        Assert.Equal(Enumerable.Range(pieces[0], 8), pieces);
    }

    [Fact]
    public void RunStopsAtAPieceCommonerThanWhereItStarted()
    {
        var picker = new PiecePicker(8L * PieceLength, PieceLength, random: new Random(3));
        var peerHas = new Bitfield(8);
        for (int piece = 4; piece < 8; piece++)
        {
            peerHas[piece] = true;
        }

        picker.PeerHas(2, peerHas);
        picker.PeerHasAll(1);
        picker.PeerPrefersRuns(1);
        picker.PeerUnchoked(1);
        var blocks = new BlockRequest[8];

        int count = picker.PickBlocks(1, blocks);

        // Pieces 0-3 only the web seed has (two blocks each): all of them first; a run reaching piece 3 does not run on into 4.
        Assert.Equal(8, count);
        Assert.Equal([0, 1, 2, 3], blocks.Select(b => b.Piece).Distinct().Order());
    }

    [Fact]
    public void PicksInSmallBatchesFinishThePieceBeforeTheNextOne()
    {
        // 1 MiB pieces (64 blocks), asked for 16 blocks at a time as a queue is topped up.
        const int bigPiece = 1 << 20;
        var picker = new PiecePicker(8L * bigPiece, bigPiece, random: new Random(5));
        picker.PeerHasAll(1);
        picker.PeerPrefersRuns(1);
        picker.PeerUnchoked(1);
        var batch = new BlockRequest[16];
        var picked = new List<BlockRequest>();
        for (int i = 0; i < 8; i++)
        {
            int count = picker.PickBlocks(1, batch);
            picked.AddRange(batch[..count]);
        }

        // Two whole pieces in block order, not the first quarter of eight pieces.
        var starts = picked.Select(b => ((long)b.Piece * bigPiece) + b.Offset).ToList();
        Assert.Equal(2, picked.Select(b => b.Piece).Distinct().Count());
        Assert.Equal(starts.Order(), starts);
        Assert.All(starts.Zip(starts.Skip(1)), p => Assert.Equal(BlockRequest.BlockSize, p.Second - p.First));
    }
}
