using System.Security.Cryptography;
using GodotTorrent.Metainfo;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Storage;
using GodotTorrent.Tests.Simulation;
using GodotTorrent.Torrent;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Torrent;

/// <summary>
/// BEP 52 block hashes for failed v2 pieces, end to end without a network: the request a failed
/// piece makes, the answer a server builds from the piece's bytes (with and without uncle hashes),
/// the bad blocks found by comparing our leaves with proven hashes, forged answers refused, and the
/// bookkeeping of checks (peers tried, rejects, time-outs, giving up).
/// </summary>
public sealed class BlockHashCheckTests
{
    private const int PieceLength = 128 * 1024; // 8 blocks per piece
    private const int Block = 16 * 1024;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // 17 pieces (the last short), a file of 7 blocks (one piece: no layer), a one-block file.
    private static readonly (string, int)[] Files = [("big.bin", (16 * PieceLength) + 40_000), ("mid.bin", 100_000), ("tiny.bin", 9_000)];

    [Fact]
    public async Task A_failed_piece_asks_for_its_blocks_padded_to_a_power_of_two_with_no_uncles()
    {
        var content = await SimContent.CreateAsync("pack", Files, TorrentVersion.V2, PieceLength);
        var torrent = content.Torrent;
        var big = FileNamed(torrent, "big.bin");
        var request = BlockHashCheck.RequestFor(torrent, big.FirstPiece + 3)!.Value;
        Assert.Equal((0, 24, 8, 2, 0), (request.BaseLayer, request.Index, request.Length, request.ProofLayers, request.UncleCount));
        Assert.Equal(big.PiecesRoot.ToArray(), request.PiecesRoot.ToArray());

        // Last, short piece: still a whole piece's 8 leaves (the tail is zero padding).
        Assert.Equal(16 * 8, BlockHashCheck.RequestFor(torrent, big.LastPiece)!.Value.Index);

        // A file of 7 blocks: its own tree of 8 leaves is the whole tree, under its pieces root.
        var mid = FileNamed(torrent, "mid.bin");
        Assert.Equal((0, 8), (BlockHashCheck.RequestFor(torrent, mid.FirstPiece)!.Value.Index, BlockHashCheck.RequestFor(torrent, mid.FirstPiece)!.Value.Length));

        // One block: the piece is the block, nothing to tell apart.
        Assert.Null(BlockHashCheck.RequestFor(torrent, FileNamed(torrent, "tiny.bin").FirstPiece));
    }

    [Theory]
    [InlineData("big.bin", 3, 5)]
    [InlineData("big.bin", 16, 1)]
    [InlineData("mid.bin", 0, 6)]
    public async Task The_served_block_hashes_prove_the_piece_and_name_exactly_the_corrupt_block(string name, int pieceInFile, int badBlock)
    {
        var content = await SimContent.CreateAsync("pack", Files, TorrentVersion.V2, PieceLength);
        var torrent = content.Torrent;
        var file = FileNamed(torrent, name);
        int piece = file.FirstPiece + pieceInFile;
        var request = BlockHashCheck.RequestFor(torrent, piece)!.Value;

        Assert.True(BlockHashAnswer.TryLocate(torrent, file, request, out int located, out int length));
        Assert.Equal(piece, located);
        var data = content.PieceSpace.AsSpan((int)((long)piece * PieceLength), length).ToArray();
        var hashes = BlockHashAnswer.Build(torrent, file, request, data, Tree(torrent, file))!;
        Assert.Equal(request.Length * 32, hashes.Length);

        // Our copy with one block altered: its leaves differ from the proven hashes in that block only.
        var corrupt = (byte[])data.Clone();
        corrupt[(badBlock * Block) + 7] ^= 0x5A;
        Assert.Equal(new[] { badBlock }, BlockHashCheck.BadBlocks(torrent, piece, request, hashes, Leaves(corrupt)));
        Assert.Empty(BlockHashCheck.BadBlocks(torrent, piece, request, hashes, Leaves(data))!);

        // A forged answer (the liar's block hash in place of the true one) proves nothing.
        var forged = (byte[])hashes.Clone();
        Leaves(corrupt).AsSpan(badBlock * 32, 32).CopyTo(forged.AsSpan(badBlock * 32));
        Assert.Null(BlockHashCheck.BadBlocks(torrent, piece, request, forged, Leaves(corrupt)));

        // The answer is the piece's own: another piece's blocks do not prove this one.
        if (file.LastPiece > piece)
        {
            var next = content.PieceSpace.AsSpan((int)((long)(piece + 1) * PieceLength), PieceLength).ToArray();
            var other = BlockHashAnswer.Build(torrent, file, request with { Index = request.Index + 8 }, next, Tree(torrent, file))!;
            Assert.Null(BlockHashCheck.BadBlocks(torrent, piece, request, other, Leaves(data)));
        }
    }

    [Fact]
    public async Task Requests_with_uncles_as_libtorrent_sends_them_are_answered_up_to_the_root()
    {
        var content = await SimContent.CreateAsync("pack", Files, TorrentVersion.V2, PieceLength);
        var torrent = content.Torrent;
        var file = FileNamed(torrent, "big.bin");
        var tree = Tree(torrent, file);
        foreach (int pieceInFile in new[] { 0, 5, 16 })
        {
            // libtorrent: count = blocks per piece, proof layers = the piece's 3 levels + the 5 above it, less one.
            var request = new HashRequest(file.PiecesRoot, 0, pieceInFile * 8, 8, 7);
            Assert.Equal(5, request.UncleCount);
            Assert.True(BlockHashAnswer.TryLocate(torrent, file, request, out int piece, out int length));
            var hashes = BlockHashAnswer.Build(torrent, file, request, content.PieceSpace.AsSpan((int)((long)piece * PieceLength), length), tree)!;
            Assert.True(PieceLayerTree.Proves(request, hashes, file.PiecesRoot.Span));

            // Part of a piece, with uncles inside the piece and above it.
            var half = new HashRequest(file.PiecesRoot, 0, (pieceInFile * 8) + 4, 4, 7);
            var partial = BlockHashAnswer.Build(torrent, file, half, content.PieceSpace.AsSpan((int)((long)piece * PieceLength), length), tree)!;
            Assert.True(PieceLayerTree.Proves(half, partial, file.PiecesRoot.Span));
        }
    }

    [Fact]
    public async Task Requests_that_span_pieces_run_past_the_file_or_ask_too_much_proof_are_refused()
    {
        var content = await SimContent.CreateAsync("pack", Files, TorrentVersion.V2, PieceLength);
        var torrent = content.Torrent;
        var big = FileNamed(torrent, "big.bin");
        var mid = FileNamed(torrent, "mid.bin");
        Assert.False(BlockHashAnswer.TryLocate(torrent, big, new HashRequest(big.PiecesRoot, 0, 0, 16, 3), out _, out _)); // two pieces
        Assert.False(BlockHashAnswer.TryLocate(torrent, big, new HashRequest(big.PiecesRoot, 0, 17 * 8, 8, 2), out _, out _)); // padding only
        Assert.False(BlockHashAnswer.TryLocate(torrent, big, new HashRequest(big.PiecesRoot, 0, 0, 8, 8), out _, out _)); // past the root
        Assert.False(BlockHashAnswer.TryLocate(torrent, big, new HashRequest(big.PiecesRoot, 3, 0, 8, 2), out _, out _)); // not the block layer
        Assert.False(BlockHashAnswer.TryLocate(torrent, mid, new HashRequest(mid.PiecesRoot, 0, 0, 16, 3), out _, out _)); // wider than its tree
        Assert.True(BlockHashAnswer.TryLocate(torrent, mid, new HashRequest(mid.PiecesRoot, 0, 4, 4, 2), out _, out _));
        Assert.False(BlockHashAnswer.TryLocate(torrent, mid, new HashRequest(mid.PiecesRoot, 0, 4, 4, 3), out _, out _));
    }

    [Fact]
    public void Checks_go_to_one_peer_at_a_time_and_are_given_up_when_every_peer_was_tried()
    {
        var check = new BlockHashCheck();
        var request = new HashRequest(new byte[32], 0, 8, 8, 2);
        ulong[] digests = [1, 2, 3];
        Assert.True(check.Start(4, request, new byte[8 * 32], digests));
        Assert.False(check.Start(4, request, new byte[8 * 32], digests));
        Assert.Equal(new[] { 4 }, check.Unassigned());

        check.Sent(4, peer: 1, T0);
        Assert.Empty(check.Unassigned());
        Assert.True(check.IsOutTo(1, request));
        Assert.False(check.IsOutTo(2, request));
        Assert.False(check.IsOutTo(1, request with { Index = 16 })); // with 16 KiB pieces a piece-layer run looks alike: not ours
        Assert.Equal(1, check.InFlight(1));
        Assert.False(check.TryTake(2, request, out _, out _, out _)); // not asked of peer 2
        Assert.False(check.TryTake(1, request with { Index = 16 }, out _, out _, out _)); // not this request

        check.OnReject(1, request);
        Assert.Equal(new[] { 4 }, check.Unassigned());
        Assert.True(check.Get(4, 1).Tried);
        Assert.False(check.Get(4, 2).Tried);

        check.Sent(4, peer: 2, T0);
        Assert.False(check.Expire(T0 + BlockHashCheck.Timeout, _ => true));
        Assert.True(check.Expire(T0 + BlockHashCheck.Timeout + TimeSpan.FromSeconds(1), _ => true));
        Assert.Same(digests, check.Abandon(4));
        Assert.Equal(0, check.Count);

        Assert.True(check.Start(5, request, new byte[8 * 32], null));
        check.Sent(5, peer: 3, T0);
        Assert.True(check.Expire(T0, id => id != 3)); // the peer left
        check.Sent(5, peer: 7, T0);
        Assert.True(check.TryTake(7, request, out int piece, out _, out _));
        Assert.Equal((5, 1, 0), (piece, check.Resolved, check.Count));

        for (int i = 0; i < BlockHashCheck.MaxPieces; i++)
        {
            Assert.True(check.Start(100 + i, request, [], null));
        }

        Assert.False(check.Start(99, request, [], null));
    }

    [Fact]
    public async Task A_v2_piece_hashed_partly_from_known_leaves_verifies_as_from_its_bytes_and_a_wrong_leaf_fails()
    {
        var content = await SimContent.CreateAsync("pack", Files, TorrentVersion.V2, PieceLength);
        var torrent = content.Torrent;
        var layout = new PieceLayout(torrent);
        int piece = FileNamed(torrent, "big.bin").LastPiece; // short: 40,000 bytes, the last leaf short
        int size = layout.GetPieceSize(piece);
        var data = content.PieceSpace.AsSpan(piece * PieceLength, size).ToArray();
        var leaves = Leaves(data);
        using var hasher = new PieceHasher(layout);
        Assert.True(hasher.Verify(piece, data));
        Assert.Equal(leaves, hasher.LeafHashes.ToArray());

        hasher.Reset(piece);
        Assert.True(hasher.TakesLeaves);
        hasher.AppendLeaf(leaves.AsSpan(0, 32), Block);
        hasher.Append(data.AsSpan(Block, Block));
        hasher.AppendLeaf(leaves.AsSpan(64, 32), size - (2 * Block));
        Assert.True(hasher.Verify());

        hasher.Reset(piece);
        var wrong = (byte[])leaves.Clone();
        wrong[40] ^= 1;
        hasher.Append(data.AsSpan(0, Block));
        hasher.AppendLeaf(wrong.AsSpan(32, 32), Block);
        hasher.Append(data.AsSpan(2 * Block));
        Assert.False(hasher.Verify());

        // A leaf cannot stand for part of a block, nor in a hybrid torrent (its SHA-1 needs the bytes).
        hasher.Reset(piece);
        Assert.Throws<InvalidOperationException>(() => hasher.AppendLeaf(leaves.AsSpan(0, 32), 100));
        var hybrid = await SimContent.CreateAsync("pack", Files, TorrentVersion.Hybrid, PieceLength);
        using var hybridHasher = new PieceHasher(new PieceLayout(hybrid.Torrent));
        hybridHasher.Reset(0);
        Assert.False(hybridHasher.TakesLeaves);
    }

    private static FileEntry FileNamed(TorrentInfo torrent, string name) => torrent.Files.Single(f => f.Path.EndsWith(name, StringComparison.Ordinal));

    private static PieceLayerTree? Tree(TorrentInfo torrent, FileEntry file) =>
        file.Length > torrent.PieceLength ? PieceLayerTree.Build(torrent.GetPieceLayer(file.Index), torrent.PieceLength) : null;

    private static byte[] Leaves(ReadOnlySpan<byte> data)
    {
        int count = (data.Length + Block - 1) / Block;
        var leaves = new byte[count * 32];
        for (int i = 0; i < count; i++)
        {
            SHA256.HashData(data.Slice(i * Block, Math.Min(Block, data.Length - (i * Block))), leaves.AsSpan(i * 32, 32));
        }

        return leaves;
    }
}
