using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

public class PieceLayoutTests
{
    private static List<FileSlice> Slices(PieceLayout layout, int piece, int offset, int length)
    {
        var list = new List<FileSlice>();
        foreach (var slice in layout.GetSlices(piece, offset, length))
        {
            list.Add(slice);
        }

        return list;
    }

    [Fact]
    public void V1_pieces_span_files_skip_empty_files_and_end_short()
    {
        var torrent = StorageTorrents.V1(16384, ("a", 10000), ("empty", 0), ("b", 30000), ("c", 5000));
        var layout = new PieceLayout(torrent);

        Assert.Equal(3, layout.PieceCount);
        Assert.Equal(45000 - 32768, layout.GetPieceSize(2));
        Assert.Equal([new FileSlice(0, 0, 10000, 0), new FileSlice(2, 0, 6384, 10000)], Slices(layout, 0, 0, 16384));
        Assert.Equal([new FileSlice(2, 6384, 16384, 0)], Slices(layout, 1, 0, 16384));
        Assert.Equal([new FileSlice(2, 22768 + 100, 7132, 0), new FileSlice(3, 0, 5000, 7132)], Slices(layout, 2, 100, 12132));
        Assert.Equal([0, 2], layout.FilesOfPiece(0));
        Assert.Equal([2, 3], layout.FilesOfPiece(2));
        Assert.Equal((0, 2), layout.PiecesOfFile(2));
        var (first, last) = layout.PiecesOfFile(1);
        Assert.True(last < first);
        Assert.Empty(Slices(layout, 1, 5, 0));
    }

    [Fact]
    public void Piece_larger_than_the_torrent_is_one_short_piece()
    {
        var layout = new PieceLayout(StorageTorrents.SingleFile(65536, 1000));

        Assert.Equal(1, layout.PieceCount);
        Assert.Equal(1000, layout.GetPieceSize(0));
        Assert.Equal([new FileSlice(0, 0, 1000, 0)], Slices(layout, 0, 0, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.GetSlices(0, 0, 1001));
    }

    [Fact]
    public void Hybrid_pad_files_are_never_sliced_but_count_in_the_piece()
    {
        var torrent = StorageTorrents.Hybrid(16384, ("a", 20000), ("b", 5000), ("c", 16384));
        var layout = new PieceLayout(torrent);

        Assert.True(torrent.Files[1].IsPad);
        Assert.Equal(4, layout.PieceCount);
        Assert.Equal(16384, layout.GetPieceSize(1));
        Assert.Equal([new FileSlice(0, 16384, 3616, 0)], Slices(layout, 1, 0, 16384));
        Assert.Equal([new FileSlice(2, 0, 5000, 0)], Slices(layout, 2, 0, 16384));
        Assert.Equal([new FileSlice(4, 0, 16384, 0)], Slices(layout, 3, 0, 16384));
        Assert.Empty(Slices(layout, 1, 4000, 1000));
    }

    [Fact]
    public void V2_pieces_lie_in_one_file_and_end_where_it_ends()
    {
        var torrent = StorageTorrents.V2(16384, ("a", 20000), ("b", 0), ("c", 5000));
        var layout = new PieceLayout(torrent);

        Assert.Equal(3, layout.PieceCount);
        Assert.Equal(3616, layout.GetPieceSize(1));
        Assert.Equal(5000, layout.GetPieceSize(2));
        Assert.Equal([new FileSlice(0, 16384, 3616, 0)], Slices(layout, 1, 0, 3616));
        Assert.Equal([new FileSlice(2, 1000, 4000, 0)], Slices(layout, 2, 1000, 4000));
        Assert.Equal([2], layout.FilesOfPiece(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.GetSlices(1, 0, 3617));
    }

    [Theory]
    [InlineData(-1, 0, 1)]
    [InlineData(3, 0, 1)]
    [InlineData(0, -1, 1)]
    [InlineData(0, 16000, 1000)]
    public void Ranges_outside_a_piece_are_rejected(int piece, int offset, int length)
    {
        var layout = new PieceLayout(StorageTorrents.V1(16384, ("a", 40000)));
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.GetSlices(piece, offset, length));
    }
}
