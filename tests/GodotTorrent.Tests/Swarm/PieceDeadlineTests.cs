using GodotTorrent.Swarm;

namespace GodotTorrent.Tests.Swarm;

/// <summary>The picker's deadlines (streaming): first, in deadline order, even at priority 0, released on clear, duplicated when late.</summary>
public class PieceDeadlineTests
{
    private const int Block = BlockRequest.BlockSize;
    private const int PieceLength = 4 * Block;

    private static PiecePicker Create(int pieces) => new((long)pieces * PieceLength, PieceLength, random: new Random(3)) { Sequential = true };

    [Fact]
    public void Deadline_pieces_come_first_in_deadline_order()
    {
        var picker = Create(100);
        PiecePickerTests.Seed(picker, 1);
        picker.SetDeadline(70, 1);
        picker.SetDeadline(50, 0);
        var blocks = PiecePickerTests.Pick(picker, 1, 12);
        Assert.Equal([50, 50, 50, 50, 70, 70, 70, 70, 0, 0, 0, 0], blocks.Select(b => b.Piece));
        Assert.Equal(2, picker.DeadlineCount);
    }

    [Fact]
    public void A_deadline_wants_a_piece_of_priority_zero_and_clearing_it_does_not()
    {
        var picker = Create(10);
        for (int i = 0; i < 10; i++)
        {
            picker.SetPiecePriority(i, PiecePicker.SkipPriority);
        }

        PiecePickerTests.Seed(picker, 1);
        Assert.False(picker.IsInteresting(1));
        picker.SetDeadline(6, 0);
        Assert.True(picker.IsInteresting(1));
        Assert.All(PiecePickerTests.Pick(picker, 1, 2), b => Assert.Equal(6, b.Piece));

        picker.ClearDeadline(6);
        picker.ClearDeadline(6);
        Assert.Equal(0, picker.DeadlineCount);
        Assert.Empty(PiecePickerTests.Pick(picker, 1, 8));
        Assert.False(picker.IsInteresting(1));
    }

    [Fact]
    public void A_verified_piece_drops_its_deadline_and_a_had_piece_gets_none()
    {
        var picker = Create(10);
        PiecePickerTests.Seed(picker, 1);
        picker.SetDeadline(4, 0);
        picker.PieceVerified(4);
        Assert.Equal(0, picker.DeadlineCount);
        picker.SetDeadline(4, 0);
        Assert.Equal(0, picker.DeadlineCount);
    }

    [Fact]
    public void Moving_a_deadline_reorders_it()
    {
        var picker = Create(20);
        PiecePickerTests.Seed(picker, 1);
        picker.SetDeadline(5, 0);
        picker.SetDeadline(9, 1);
        picker.SetDeadline(5, 2);
        Assert.Equal(9, PiecePickerTests.Pick(picker, 1, 1).Single().Piece);
    }

    [Fact]
    public void A_late_piece_has_its_outstanding_blocks_asked_of_a_second_peer_once()
    {
        var picker = Create(20);
        PiecePickerTests.Seed(picker, 1);
        PiecePickerTests.Seed(picker, 2);
        picker.SetDeadline(12, 0);
        Assert.All(PiecePickerTests.Pick(picker, 1, 4), b => Assert.Equal(12, b.Piece));

        // Not late: the second peer gets other pieces, not copies.
        Assert.DoesNotContain(PiecePickerTests.Pick(picker, 2, 2), b => b.Piece == 12);

        picker.SetDeadlineLate(12);
        var copies = PiecePickerTests.Pick(picker, 2, 8).Where(b => b.Piece == 12).ToArray();
        Assert.Equal(4, copies.Length);
        Assert.DoesNotContain(PiecePickerTests.Pick(picker, 2, 8), b => b.Piece == 12);

        // The first copy to arrive cancels the other.
        var cancel = new List<int>();
        Assert.Equal(BlockOutcome.Accepted, picker.BlockReceived(2, copies[0], cancel));
        Assert.Equal([1], cancel);
    }
}
