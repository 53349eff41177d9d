namespace GodotTorrent.Swarm;

/// <summary>
/// The picker's time-critical pieces (libtorrent's piece deadlines, as streaming uses them): pieces
/// a reader waits for or will soon, ordered by deadline. <see cref="PiecePicker"/> requests their
/// blocks before anything else, whatever their priority, and a late piece's blocks still out are
/// requested again from other peers, end-game style. Engine loop only.
/// </summary>
internal sealed class PieceDeadlines
{
    // Copies of one late block at once: the first request plus one duplicate per round is enough to
    // route around a slow peer without fetching the tail of every piece many times.
    private const int MaxLateCopies = 2;

    private readonly long[] _deadline;
    private readonly bool[] _late;
    private readonly List<int> _ordered = [];
    private readonly Comparer<int> _order;

    public PieceDeadlines(int pieceCount)
    {
        _deadline = new long[pieceCount];
        _late = new bool[pieceCount];
        Array.Fill(_deadline, long.MaxValue);
        _order = Comparer<int>.Create((a, b) =>
        {
            int c = _deadline[a].CompareTo(_deadline[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
    }

    /// <summary>The pieces with a deadline, most urgent first (ties by index).</summary>
    public IReadOnlyList<int> Ordered => _ordered;

    /// <summary>How many pieces have a deadline.</summary>
    public int Count => _ordered.Count;

    /// <summary>True when <paramref name="piece"/> has a deadline.</summary>
    public bool Has(int piece) => _deadline[piece] != long.MaxValue;

    /// <summary>True when <paramref name="piece"/> is overdue.</summary>
    public bool IsLate(int piece) => _late[piece];

    /// <summary>The deadline of <paramref name="piece"/>, or <see cref="long.MaxValue"/> for none.</summary>
    public long DeadlineOf(int piece) => _deadline[piece];

    /// <summary>Sets or moves a deadline (smaller is more urgent).</summary>
    public void Set(int piece, long deadline)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(deadline, long.MaxValue);
        if (_deadline[piece] == deadline)
        {
            return;
        }

        if (Has(piece))
        {
            _ordered.Remove(piece);
        }

        _deadline[piece] = deadline;
        int at = _ordered.BinarySearch(piece, _order);
        _ordered.Insert(at < 0 ? ~at : at, piece);
    }

    /// <summary>Clears a deadline (and its lateness).</summary>
    public void Clear(int piece)
    {
        if (!Has(piece))
        {
            return;
        }

        _ordered.Remove(piece);
        _deadline[piece] = long.MaxValue;
        _late[piece] = false;
    }

    /// <summary>Marks a piece with a deadline as overdue: its outstanding blocks may be duplicated.</summary>
    public void SetLate(int piece)
    {
        if (Has(piece))
        {
            _late[piece] = true;
        }
    }

    /// <summary>
    /// Duplicate requests for the blocks of late pieces that other peers have outstanding, most urgent
    /// piece first, at most <see cref="MaxLateCopies"/> copies of a block.
    /// </summary>
    public int PickLate(PeerPickState st, Func<int, DownloadingPiece?> downloading, Func<int, int> pieceSize, Span<BlockRequest> destination)
    {
        int written = 0;
        foreach (int piece in _ordered)
        {
            if (written == destination.Length)
            {
                break;
            }

            if (!_late[piece] || !st.HasPiece(piece) || downloading(piece) is not { } dp)
            {
                continue;
            }

            int size = pieceSize(piece);
            for (int b = 0; b < dp.BlockCount && written < destination.Length; b++)
            {
                if (dp.Received[b] || dp.Requests[b] == 0 || dp.Requests[b] >= MaxLateCopies || !st.Pending.Add(PiecePicker.Key(piece, b)))
                {
                    continue;
                }

                dp.Requests[b]++;
                int offset = b * BlockRequest.BlockSize;
                destination[written++] = new BlockRequest(piece, offset, Math.Min(BlockRequest.BlockSize, size - offset));
            }
        }

        return written;
    }
}
