using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>
/// Maps pieces to the files that hold their bytes and back. Pieces live in the torrent's piece
/// space (<see cref="FileEntry.Offset"/>): v1 files are concatenated, v2 and hybrid files start
/// on piece boundaries. Pad files (BEP 47), empty files and v2 alignment gaps hold no stored
/// bytes, so no <see cref="FileSlice"/> ever names them. Custom <see cref="IPieceStorage"/>
/// backends use it to turn a block address into file reads and writes.
/// </summary>
/// <remarks>Immutable and safe to share between threads. Enumerating slices allocates nothing.</remarks>
public sealed class PieceLayout
{
    // Only files with stored bytes, in piece-space order, so a binary search over starts finds
    // the first file of a range without stepping over pads and empty files.
    private readonly long[] _starts;
    private readonly long[] _ends;
    private readonly int[] _fileIndices;

    /// <summary>Builds the layout of <paramref name="torrent"/>.</summary>
    public PieceLayout(TorrentInfo torrent)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        Torrent = torrent;
        var stored = torrent.Files.Where(IsStored).OrderBy(f => f.Offset).ToArray();
        _starts = stored.Select(f => f.Offset).ToArray();
        _ends = stored.Select(f => f.Offset + f.Length).ToArray();
        _fileIndices = stored.Select(f => f.Index).ToArray();
    }

    /// <summary>The torrent this layout describes.</summary>
    public TorrentInfo Torrent { get; }

    /// <summary>Number of pieces.</summary>
    public int PieceCount => Torrent.PieceCount;

    /// <summary>Nominal bytes per piece.</summary>
    public int PieceLength => Torrent.PieceLength;

    /// <summary>True when file <paramref name="file"/> has bytes to store: not a pad file, not empty, not a symlink.</summary>
    public static bool IsStored(FileEntry file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return !file.IsPad && file.Length > 0 && file.SymlinkTarget is null;
    }

    /// <summary>Where piece <paramref name="piece"/> starts in piece space.</summary>
    public long GetPieceStart(int piece)
    {
        CheckPiece(piece);
        return (long)piece * PieceLength;
    }

    /// <summary>
    /// Bytes in piece <paramref name="piece"/>: the last piece of a v1 torrent (or of a file of a
    /// v2-only torrent) may be short; pad bytes count, v2 alignment gaps do not.
    /// </summary>
    public int GetPieceSize(int piece)
    {
        long start = GetPieceStart(piece);
        if (Torrent.HasV1)
        {
            return (int)Math.Min(PieceLength, Torrent.PieceSpaceSize - start);
        }

        int k = FirstEndingAfter(start);
        return k < _starts.Length && _starts[k] <= start ? (int)Math.Min(PieceLength, _ends[k] - start) : 0;
    }

    /// <summary>
    /// The file slices of <paramref name="length"/> bytes of piece <paramref name="piece"/> from
    /// <paramref name="offset"/>, in order. Use in a <c>foreach</c>; nothing is allocated.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie inside the piece.</exception>
    public FileSliceEnumerator GetSlices(int piece, int offset, int length)
    {
        int size = GetPieceSize(piece);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if ((long)offset + length > size)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"Bytes {offset}..{(long)offset + length} are outside piece {piece} of {size} bytes.");
        }

        long start = (long)piece * PieceLength + offset;
        return new FileSliceEnumerator(this, start, start + length, length == 0 ? _starts.Length : FirstEndingAfter(start));
    }

    /// <summary>The indices of the files with stored bytes in piece <paramref name="piece"/>, in order.</summary>
    public IReadOnlyList<int> FilesOfPiece(int piece)
    {
        var files = new List<int>(2);
        foreach (var slice in GetSlices(piece, 0, GetPieceSize(piece)))
        {
            files.Add(slice.FileIndex);
        }

        return files;
    }

    /// <summary>
    /// The first and last piece holding bytes of file <paramref name="fileIndex"/>; for a file
    /// without stored bytes, Last is First - 1 (an empty range).
    /// </summary>
    public (int First, int Last) PiecesOfFile(int fileIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fileIndex, Torrent.Files.Count);
        var file = Torrent.Files[fileIndex];
        return IsStored(file) ? (file.FirstPiece, file.LastPiece) : (file.FirstPiece, file.FirstPiece - 1);
    }

    internal bool TryGetSlice(int k, long rangeStart, long rangeEnd, out FileSlice slice)
    {
        if (k >= _starts.Length || _starts[k] >= rangeEnd)
        {
            slice = default;
            return false;
        }

        long from = Math.Max(rangeStart, _starts[k]);
        long to = Math.Min(rangeEnd, _ends[k]);
        slice = new FileSlice(_fileIndices[k], from - _starts[k], (int)(to - from), (int)(from - rangeStart));
        return true;
    }

    // Index of the first stored file whose end lies beyond offset.
    private int FirstEndingAfter(long offset)
    {
        int lo = 0, hi = _ends.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_ends[mid] <= offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void CheckPiece(int piece)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(piece);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(piece, PieceCount);
    }
}
