using GodotTorrent.Swarm;

namespace GodotTorrent.Tests.Swarm;

public class PiecePickerTests
{
    private const int Block = BlockRequest.BlockSize;
    private const int PieceLength = 4 * Block;

    private static PiecePicker Create(int pieces, int seed = 1, long? total = null) =>
        new(total ?? (long)pieces * PieceLength, PieceLength, random: new Random(seed));

    private static Bitfield Bits(int count, params int[] set)
    {
        var field = new Bitfield(count);
        foreach (int i in set)
        {
            field[i] = true;
        }

        return field;
    }

    private static void Connect(PiecePicker picker, int peer, Bitfield has)
    {
        picker.PeerHas(peer, has);
        picker.PeerUnchoked(peer);
    }

    internal static void Seed(PiecePicker picker, int peer)
    {
        picker.PeerHasAll(peer);
        picker.PeerUnchoked(peer);
    }

    internal static BlockRequest[] Pick(PiecePicker picker, int peer, int max)
    {
        var buffer = new BlockRequest[max];
        int n = picker.PickBlocks(peer, buffer);
        return buffer[..n];
    }

    private static int FirstPiece(PiecePicker picker, int peer) => Pick(picker, peer, 1).Single().Piece;

    [Fact]
    public void Geometry_has_16_KiB_blocks_and_a_short_last_block()
    {
        var picker = new PiecePicker((3 * PieceLength) + Block + 100, PieceLength);
        Assert.Equal(4, picker.PieceCount);
        Assert.Equal(4, picker.BlockCount(0));
        Assert.Equal(2, picker.BlockCount(3));
        Seed(picker, 1);
        picker.SetPiecePriority(0, 0);
        picker.SetPiecePriority(1, 0);
        picker.SetPiecePriority(2, 0);
        BlockRequest[] blocks = Pick(picker, 1, 10);
        Assert.Equal([new BlockRequest(3, 0, Block), new BlockRequest(3, Block, 100)], blocks);
    }

    [Fact]
    public void Rarest_piece_is_picked_first()
    {
        var picker = Create(10);
        Connect(picker, 1, new Bitfield(10, true));
        Connect(picker, 2, Bits(10, 0, 1, 2, 3, 4, 5, 6, 8, 9));
        Connect(picker, 3, Bits(10, 0, 1, 2, 3, 4, 5, 8, 9));
        // 7 is held by peer 1 only, 6 by two peers, the rest by three.
        Assert.Equal(1, picker.Availability(7));
        BlockRequest[] blocks = Pick(picker, 1, 8);
        Assert.All(blocks[..4], b => Assert.Equal(7, b.Piece));
        Assert.All(blocks[4..], b => Assert.Equal(6, b.Piece));
    }

    [Fact]
    public void Ties_are_broken_at_random_reproducibly_and_roughly_evenly()
    {
        var counts = new int[8];
        for (int seed = 0; seed < 800; seed++)
        {
            var picker = Create(8, seed);
            Seed(picker, 1);
            counts[FirstPiece(picker, 1)]++;
        }

        // Expect 100 each; a fair draw stays well inside 50..150 (and this is seeded, so never flaky).
        Assert.All(counts, c => Assert.InRange(c, 50, 150));

        var a = Create(8, 42);
        var b = Create(8, 42);
        Seed(a, 1);
        Seed(b, 1);
        Assert.Equal(Pick(a, 1, 32), Pick(b, 1, 32));
    }

    [Fact]
    public void Higher_priority_first_and_priority_zero_never()
    {
        var picker = Create(6);
        Seed(picker, 1);
        picker.SetPiecePriority(0, 0);
        picker.SetPiecePriority(1, 0);
        picker.SetPiecePriority(2, 1);
        picker.SetPiecePriority(3, 7);
        picker.SetPiecePriority(4, 2);
        picker.SetPiecePriority(5, 0);
        BlockRequest[] blocks = Pick(picker, 1, 100);
        Assert.Equal([3, 4, 2], blocks.Select(b => b.Piece).Distinct());
        Assert.Equal(12, blocks.Length);
        Assert.DoesNotContain(Pick(picker, 1, 100), b => b.Piece is 0 or 1 or 5);
    }

    [Fact]
    public void Priority_beats_rarity()
    {
        var picker = Create(3);
        Connect(picker, 1, Bits(3, 0, 1, 2));
        Connect(picker, 2, Bits(3, 1, 2));
        Connect(picker, 3, Bits(3, 2));
        picker.SetPiecePriority(2, 6);
        Assert.Equal(2, FirstPiece(picker, 1));
    }

    [Fact]
    public void Started_pieces_are_finished_before_new_ones()
    {
        var picker = Create(10);
        Seed(picker, 1);
        Seed(picker, 2);
        BlockRequest first = Pick(picker, 1, 2)[0];
        // Peer 1 has half of the piece in flight; peer 2 completes it before starting anything else.
        BlockRequest[] next = Pick(picker, 2, 2);
        Assert.All(next, b => Assert.Equal(first.Piece, b.Piece));
        Assert.Equal([2 * Block, 3 * Block], next.Select(b => b.Offset));
    }

    [Fact]
    public void Started_piece_is_not_preferred_over_higher_priority()
    {
        var picker = Create(10);
        Seed(picker, 1);
        Seed(picker, 2);
        BlockRequest first = Pick(picker, 1, 2)[0];
        int other = first.Piece == 9 ? 8 : 9;
        picker.SetPiecePriority(other, 7);
        Assert.Equal(other, FirstPiece(picker, 2));
    }

    [Fact]
    public void Sequential_mode_goes_by_index_within_priority()
    {
        var picker = Create(10);
        Seed(picker, 1);
        picker.Sequential = true;
        picker.SetPiecePriority(0, 0);
        picker.SetPiecePriority(6, 5);
        BlockRequest[] blocks = Pick(picker, 1, 16);
        Assert.Equal([6, 1, 2, 3], blocks.Select(b => b.Piece).Distinct());
    }

    [Fact]
    public void Sequential_mode_skips_pieces_the_peer_lacks()
    {
        var picker = Create(10);
        Connect(picker, 1, Bits(10, 3, 5, 7));
        picker.Sequential = true;
        Assert.Equal([3, 5, 7], Pick(picker, 1, 100).Select(b => b.Piece).Distinct());
    }

    [Fact]
    public void First_and_last_pieces_of_files_come_early()
    {
        var picker = Create(20);
        Seed(picker, 1);
        picker.SetFirstLastPieces([(0, 9), (10, 19)]);
        picker.FirstLastPieceFirst = true;
        int[] firstFour = Pick(picker, 1, 16).Select(b => b.Piece).Distinct().Order().ToArray();
        Assert.Equal([0, 9, 10, 19], firstFour);

        // A skipped file's ends are not raised.
        var skip = Create(20);
        Seed(skip, 1);
        for (int i = 10; i < 20; i++)
        {
            skip.SetPiecePriority(i, 0);
        }

        skip.SetFirstLastPieces([(0, 9), (10, 19)]);
        skip.FirstLastPieceFirst = true;
        Assert.Equal([0, 9], Pick(skip, 1, 8).Select(b => b.Piece).Distinct().Order());
    }

    [Fact]
    public void Never_picks_a_piece_the_peer_lacks()
    {
        var picker = Create(100, 7);
        var rng = new Random(3);
        var has = new Bitfield(100);
        for (int i = 0; i < 100; i++)
        {
            has[i] = rng.Next(3) == 0;
        }

        Connect(picker, 1, has);
        Connect(picker, 2, new Bitfield(100, true));
        BlockRequest[] blocks = Pick(picker, 1, 1000);
        Assert.Equal(has.SetCount * 4, blocks.Length);
        Assert.All(blocks, b => Assert.True(has[b.Piece]));
        Assert.Empty(Pick(picker, 3, 10)); // unknown peer
    }

    [Fact]
    public void Choked_peer_gets_only_allowed_fast_pieces_and_keeps_those_requests()
    {
        var picker = Create(10);
        picker.PeerHasAll(1); // connections start choked (BEP 3)
        Assert.Empty(Pick(picker, 1, 10));
        picker.AllowedFast(1, 5);
        BlockRequest[] fast = Pick(picker, 1, 10);
        Assert.All(fast, b => Assert.Equal(5, b.Piece));
        Assert.Equal(4, fast.Length);

        picker.PeerUnchoked(1);
        picker.Suggest(1, 8);
        Assert.Equal(8, Pick(picker, 1, 1)[0].Piece);
        Assert.Equal(5, picker.PendingCount(1));

        picker.PeerChoked(1);
        Assert.Equal(4, picker.PendingCount(1)); // the suggested piece's request is dropped, allowed-fast ones stay
        Seed(picker, 2);
        Assert.Equal(8, Pick(picker, 2, 1)[0].Piece);
    }

    [Fact]
    public void End_game_duplicates_requests_and_names_peers_to_cancel()
    {
        var picker = Create(2);
        Seed(picker, 1);
        Seed(picker, 2);
        Seed(picker, 3);
        BlockRequest[] one = Pick(picker, 1, 8);
        Assert.Equal(8, one.Length);
        Assert.True(picker.InEndGame);
        BlockRequest[] two = Pick(picker, 2, 8);
        Assert.Equal(one.OrderBy(b => (b.Piece, b.Offset)), two.OrderBy(b => (b.Piece, b.Offset)));
        BlockRequest[] three = Pick(picker, 3, 2);
        Assert.Equal(2, three.Length);

        var cancels = new List<int>();
        Assert.Equal(BlockOutcome.Accepted, picker.BlockReceived(2, three[0], cancels));
        Assert.Equal([1, 3], cancels.Order());
        Assert.Equal(7, picker.PendingCount(1));
        Assert.Equal(1, picker.PendingCount(3));

        // A late copy from a cancelled peer is a duplicate.
        Assert.Equal(BlockOutcome.Duplicate, picker.BlockReceived(1, three[0], cancels));
        Assert.Empty(cancels);

        // Finish: the last block of each piece completes it.
        int complete = 0;
        foreach (BlockRequest b in one)
        {
            BlockOutcome outcome = picker.BlockReceived(1, b, cancels);
            complete += outcome == BlockOutcome.PieceComplete ? 1 : 0;
        }

        Assert.Equal(2, complete);
        Assert.Equal(0, picker.PendingCount(2));
        Assert.Equal(0, picker.PendingCount(3));
        picker.PieceVerified(0);
        picker.PieceVerified(1);
        Assert.Empty(Pick(picker, 1, 8));
        Assert.False(picker.InEndGame);
    }

    [Fact]
    public void End_game_duplicates_are_bounded_by_the_peers_outstanding_requests()
    {
        var picker = Create(2);
        picker.EndGameMaxPending = 3;
        Seed(picker, 1);
        Seed(picker, 2);
        BlockRequest[] one = Pick(picker, 1, 8);
        Assert.True(picker.InEndGame);
        Assert.Equal(3, Pick(picker, 2, 8).Length);
        Assert.Empty(Pick(picker, 2, 8));

        // One answered: room for exactly one more duplicate.
        var cancels = new List<int>();
        picker.BlockReceived(2, one[0], cancels);
        Assert.Single(Pick(picker, 2, 8));
    }

    [Fact]
    public void Not_end_game_while_any_block_is_unrequested()
    {
        var picker = Create(4);
        Seed(picker, 1);
        Seed(picker, 2);
        BlockRequest[] one = Pick(picker, 1, 15);
        Assert.False(picker.InEndGame);
        BlockRequest[] two = Pick(picker, 2, 8);
        Assert.True(picker.InEndGame);
        // The one free block first; only then, within the same pick, duplicates of peer 1's requests.
        Assert.DoesNotContain(two[0], one);
        Assert.All(two[1..], b => Assert.Contains(b, one));
        Assert.Equal(8, two.Length);
    }

    [Fact]
    public void Hash_failure_makes_every_block_needed_again()
    {
        var picker = Create(1);
        Seed(picker, 1);
        var cancels = new List<int>();
        BlockRequest[] blocks = Pick(picker, 1, 4);
        Assert.Equal(BlockOutcome.Accepted, picker.BlockReceived(1, blocks[0], cancels));
        Assert.Equal(BlockOutcome.Accepted, picker.BlockReceived(1, blocks[1], cancels));
        Assert.Equal(BlockOutcome.Accepted, picker.BlockReceived(1, blocks[2], cancels));
        Assert.Equal(BlockOutcome.PieceComplete, picker.BlockReceived(1, blocks[3], cancels));
        picker.PieceFailed(0);
        Seed(picker, 2);
        Assert.Equal(blocks, Pick(picker, 2, 4));
        Assert.False(picker.HavePiece(0));
    }

    [Fact]
    public void Peer_leaving_lowers_availability_and_frees_its_blocks()
    {
        var picker = Create(4);
        Connect(picker, 1, Bits(4, 0, 1));
        Connect(picker, 2, Bits(4, 0));
        Seed(picker, 3);
        Assert.Equal(3, picker.Availability(0));
        BlockRequest[] taken = Pick(picker, 2, 4);
        Assert.All(taken, b => Assert.Equal(0, b.Piece));

        picker.PeerLeft(2);
        Assert.Equal(2, picker.Availability(0));
        Assert.Equal(0, picker.PendingCount(2));
        picker.PeerLeft(3);
        Assert.Equal(1, picker.Availability(0));
        Assert.Equal(0, picker.Availability(2));
        // Piece 0's blocks are free again and peer 1 may take them.
        Assert.Equal(8, Pick(picker, 1, 100).Length);
    }

    [Fact]
    public void Timed_out_blocks_go_to_another_peer()
    {
        var picker = Create(1);
        Seed(picker, 1);
        Seed(picker, 2);
        BlockRequest[] slow = Pick(picker, 1, 2);
        Assert.True(picker.RequestTimedOut(1, slow[1]));
        Assert.False(picker.RequestTimedOut(1, slow[1]));
        BlockRequest[] fast = Pick(picker, 2, 2);
        Assert.Equal([slow[1], new BlockRequest(0, 2 * Block, Block)], fast);
    }

    [Fact]
    public void Late_block_after_timeout_is_still_accepted_once()
    {
        var picker = Create(1);
        Seed(picker, 1);
        Seed(picker, 2);
        var cancels = new List<int>();
        BlockRequest b = Pick(picker, 1, 1)[0];
        picker.RequestTimedOut(1, b);
        BlockRequest again = Pick(picker, 2, 1)[0];
        Assert.Equal(b, again);
        Assert.Equal(BlockOutcome.Accepted, picker.BlockReceived(1, b, cancels));
        Assert.Equal([2], cancels);
        Assert.Equal(BlockOutcome.Duplicate, picker.BlockReceived(2, again, cancels));
        Assert.Equal(BlockOutcome.Rejected, picker.BlockReceived(1, new BlockRequest(0, 5, Block), cancels));
    }

    [Fact]
    public void Have_messages_and_verified_pieces_update_the_picture()
    {
        var picker = Create(5);
        picker.PeerHasNone(1);
        picker.PeerUnchoked(1);
        Assert.False(picker.IsInteresting(1));
        picker.PeerHave(1, 3);
        picker.PeerHave(1, 3);
        Assert.Equal(1, picker.Availability(3));
        Assert.True(picker.IsInteresting(1));
        picker.PieceVerified(3);
        Assert.False(picker.IsInteresting(1));
        Assert.Empty(Pick(picker, 1, 4));
        Assert.Equal(1, picker.HaveCount);
    }

    [Fact]
    public void Resume_bitfield_is_respected()
    {
        var have = Bits(4, 0, 2);
        var picker = new PiecePicker(4L * PieceLength, PieceLength, have, new Random(1));
        Seed(picker, 1);
        Assert.Equal([1, 3], Pick(picker, 1, 100).Select(b => b.Piece).Distinct().Order());
    }

    [Fact]
    public void Large_swarm_picks_stay_consistent()
    {
        // 10,000 pieces, 50 peers with random halves: everyone gets distinct blocks they have until end-game.
        const int pieces = 10_000;
        var picker = new PiecePicker((long)pieces * PieceLength, PieceLength, random: new Random(5));
        var rng = new Random(9);
        var fields = new Bitfield[50];
        for (int p = 0; p < 50; p++)
        {
            fields[p] = new Bitfield(pieces);
            for (int i = 0; i < pieces; i++)
            {
                fields[p][i] = rng.Next(2) == 0;
            }

            Connect(picker, p, fields[p]);
        }

        var seen = new HashSet<(int, int)>();
        var buffer = new BlockRequest[250];
        for (int round = 0; round < 3; round++)
        {
            for (int p = 0; p < 50; p++)
            {
                int n = picker.PickBlocks(p, buffer);
                Assert.Equal(buffer.Length, n);
                foreach (BlockRequest b in buffer.AsSpan(0, n))
                {
                    Assert.True(fields[p][b.Piece]);
                    Assert.True(seen.Add((b.Piece, b.Offset)));
                }
            }
        }
    }

    [Fact]
    public void Distributed_copies_are_the_rarest_count_plus_the_share_of_pieces_above_it()
    {
        var picker = Create(4);
        Assert.Equal(0, picker.DistributedCopies());

        Seed(picker, 1);
        Connect(picker, 2, Bits(4, 0, 1));

        Assert.Equal(1.5, picker.DistributedCopies());
    }
}
