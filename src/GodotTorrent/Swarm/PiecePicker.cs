namespace GodotTorrent.Swarm;

/// <summary>
/// Decides which blocks to request from which peer. Pure bookkeeping: no I/O, no clock, no locks.
/// </summary>
/// <remarks>
/// <para>Threading: every call comes from the torrent's single engine loop (docs/ARCHITECTURE.md, threading model), so the state
/// below is never shared between threads and takes no locks. Do not call it from two threads.</para>
/// <para>Priorities are <see cref="int"/> 0..7 for now: 0 = do not download, 4 = normal (the default),
/// 7 = first. The caller maps file priorities to piece priorities (a piece shared by two files takes the
/// higher one).</para>
/// <para>Policy, in order: pieces the peer hinted (BEP 6 allowed-fast, then suggested); then the highest
/// effective priority; at equal priority a piece already started is finished before a new one is begun
/// (fewer half-done pieces on disk and sooner something to share); among new pieces the rarest
/// (lowest availability) first with random tie-breaks (BEP 3's "rarest first"), or the lowest index in
/// <see cref="Sequential"/> mode. When every wanted block is already requested the picker is in end-game:
/// it hands out duplicate requests for the least-requested blocks, and <see cref="BlockReceived"/> names
/// the other peers that must get a cancel.</para>
/// <para>Cost: pieces not yet started are ranked by <see cref="RarityIndex"/> (O(1) per have message);
/// started pieces are a short list. Picking writes into a caller's span and allocates nothing.</para>
/// </remarks>
internal sealed class PiecePicker
{
    /// <summary>Priority of a piece that is not downloaded.</summary>
    public const int SkipPriority = 0;

    /// <summary>The default priority.</summary>
    public const int NormalPriority = 4;

    /// <summary>The highest priority; first-and-last pieces are raised to it.</summary>
    public const int TopPriority = 7;

    /// <summary>Bounds the hint lists a peer can grow (a hostile peer could send endless suggestions).</summary>
    private const int MaxHintsPerPeer = 64;

    private readonly int _pieceLength;
    private readonly int _lastPieceLength;
    private readonly Func<int, int>? _pieceSize;
    private readonly int _blocksPerPiece;
    private readonly Bitfield _have;
    private readonly int[] _availability;
    private readonly byte[] _priority;
    private readonly bool[] _firstLast;

    // Pieces that cannot be verified yet (a v2 file's piece layer is still being fetched, BEP 52).
    private readonly bool[] _held;
    private readonly Random _random;

    // Pieces not started and not had ("fresh"), ranked by level and rarity.
    private readonly RarityIndex _fresh;
    private readonly EndGame _endGame;
    private readonly PieceDeadlines _deadlines;
    private readonly Func<int, DownloadingPiece?> _downloadingOf;
    private readonly Func<int, int> _pieceSizeOf;

    private readonly DownloadingPiece?[] _downloading;
    private readonly List<DownloadingPiece> _downloadingList = [];
    private readonly Stack<DownloadingPiece> _pool = new();

    private readonly Dictionary<int, PeerPickState> _peers = [];
    private readonly List<long> _scratch = [];
    private int _seeds;
    private int _sequentialCursor;
    private bool _firstLastEnabled;

    /// <summary>
    /// A picker for pieces whose sizes <paramref name="pieceSize"/> gives: v2 torrents end each
    /// file's last piece short, not only the torrent's.
    /// </summary>
    /// <param name="pieceCount">Number of pieces.</param>
    /// <param name="pieceLength">The nominal piece length.</param>
    /// <param name="pieceSize">The size of each piece.</param>
    /// <param name="have">Pieces already verified, or null for none. Not kept.</param>
    /// <param name="random">The source of tie-breaks; pass a seeded one for reproducible tests.</param>
    public PiecePicker(int pieceCount, int pieceLength, Func<int, int> pieceSize, Bitfield? have = null, Random? random = null)
        : this((long)pieceCount * pieceLength, pieceLength, have, random)
    {
        _pieceSize = pieceSize;
    }

    /// <summary>Creates a picker for a torrent of <paramref name="totalLength"/> bytes in pieces of <paramref name="pieceLength"/>.</summary>
    /// <param name="totalLength">The torrent's total size in bytes.</param>
    /// <param name="pieceLength">The piece length; the last piece may be shorter.</param>
    /// <param name="have">Pieces already verified (resume data), or null for none. Not kept.</param>
    /// <param name="random">The source of tie-breaks; pass a seeded one for reproducible tests.</param>
    public PiecePicker(long totalLength, int pieceLength, Bitfield? have = null, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceLength);
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength);
        long count = (totalLength + pieceLength - 1) / pieceLength;
        if (count > int.MaxValue / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(totalLength), totalLength, "Too many pieces.");
        }

        PieceCount = (int)count;
        _pieceLength = pieceLength;
        _lastPieceLength = PieceCount == 0 ? 0 : (int)(totalLength - ((long)(PieceCount - 1) * pieceLength));
        _blocksPerPiece = (pieceLength + BlockRequest.BlockSize - 1) / BlockRequest.BlockSize;
        _random = random ?? new Random();
        _have = new Bitfield(PieceCount);
        _availability = new int[PieceCount];
        _priority = new byte[PieceCount];
        _firstLast = new bool[PieceCount];
        _held = new bool[PieceCount];
        _fresh = new RarityIndex(PieceCount, _random);
        _deadlines = new PieceDeadlines(PieceCount);
        _endGame = new EndGame(_downloadingList, _fresh, Level, PieceSize);
        _downloading = new DownloadingPiece?[PieceCount];
        _downloadingOf = p => _downloading[p];
        _pieceSizeOf = PieceSize;
        if (have is not null && have.Count != PieceCount)
        {
            throw new ArgumentException($"The have-bitfield has {have.Count} pieces, not {PieceCount}.", nameof(have));
        }

        for (int i = 0; i < PieceCount; i++)
        {
            _priority[i] = NormalPriority;
            if (have is not null && have[i])
            {
                _have[i] = true;
            }
            else
            {
                FreshAdd(i);
            }
        }

        AdvanceSequentialCursor();
    }

    /// <summary>Number of pieces.</summary>
    public int PieceCount { get; }

    /// <summary>Number of pieces we have (verified).</summary>
    public int HaveCount => _have.SetCount;

    /// <summary>
    /// Download pieces in index order (for streaming) instead of rarest first. Priority still comes first.
    /// Costs a scan from the first missing piece per piece started, so it is for playback, not bulk transfer.
    /// </summary>
    public bool Sequential { get; set; }

    /// <summary>
    /// In end-game, duplicates go only to a peer with fewer than this many requests outstanding, and only
    /// up to it; unlimited by default. Without a bound a fast peer re-requests every block the slower
    /// peers hold, and on a fast link most of them arrive twice before the cancels do.
    /// </summary>
    public int EndGameMaxPending { get; set; } = int.MaxValue;

    /// <summary>
    /// Raise the first and last piece of each file given to <see cref="SetFirstLastPieces"/> to
    /// <see cref="TopPriority"/> (when the piece is wanted at all), so media players can read headers and
    /// trailers early.
    /// </summary>
    public bool FirstLastPieceFirst
    {
        get => _firstLastEnabled;
        set
        {
            if (value == _firstLastEnabled)
            {
                return;
            }

            for (int i = 0; i < PieceCount; i++)
            {
                if (_firstLast[i])
                {
                    MoveFresh(i, () => _firstLastEnabled = value);
                }
            }

            _firstLastEnabled = value;
        }
    }

    /// <summary>How many pieces have a deadline (<see cref="SetDeadline"/>).</summary>
    public int DeadlineCount => _deadlines.Count;

    /// <summary>True when every wanted block is requested or received, so duplicate requests are handed out.</summary>
    public bool InEndGame => _endGame.IsOn;

    /// <summary>The map key of block <paramref name="block"/> of <paramref name="piece"/> in a peer's pending set.</summary>
    public static long Key(int piece, int block) => ((long)piece << 32) | (uint)block;

    /// <summary>The size of <paramref name="piece"/> in bytes.</summary>
    public int PieceSize(int piece) => _pieceSize?.Invoke(piece) ?? (piece == PieceCount - 1 ? _lastPieceLength : _pieceLength);

    /// <summary>The number of 16 KiB blocks of <paramref name="piece"/> (the last one may be shorter).</summary>
    public int BlockCount(int piece) => (PieceSize(piece) + BlockRequest.BlockSize - 1) / BlockRequest.BlockSize;

    /// <summary>How many connected peers have <paramref name="piece"/>.</summary>
    public int Availability(int piece) => _availability[piece] + _seeds;

    /// <summary>
    /// libtorrent's distributed copies: the rarest piece's availability, plus the share of pieces
    /// more available than it. 0 for a torrent without pieces.
    /// </summary>
    public double DistributedCopies()
    {
        if (PieceCount == 0)
        {
            return 0;
        }

        int min = int.MaxValue, above = 0;
        for (int i = 0; i < PieceCount; i++)
        {
            min = Math.Min(min, Availability(i));
        }

        for (int i = 0; i < PieceCount; i++)
        {
            if (Availability(i) > min)
            {
                above++;
            }
        }

        return min + ((double)above / PieceCount);
    }

    /// <summary>True when <paramref name="piece"/> is verified.</summary>
    public bool HavePiece(int piece) => _have[piece];

    /// <summary>The piece's priority, 0..7 (before the first-and-last boost).</summary>
    public int GetPiecePriority(int piece) => _priority[piece];

    /// <summary>Number of requests outstanding to <paramref name="peer"/>.</summary>
    public int PendingCount(int peer) => _peers.TryGetValue(peer, out PeerPickState? st) ? st.Pending.Count : 0;

    /// <summary>Sets a piece's priority: 0 = do not download, 4 = normal, 7 = first.</summary>
    public void SetPiecePriority(int piece, int priority)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(priority);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priority, TopPriority);
        if (_priority[piece] != priority)
        {
            MoveFresh(piece, () => _priority[piece] = (byte)priority);
        }
    }

    /// <summary>Holds a piece back from picking (as priority 0 would, keeping its priority) until released.</summary>
    public void SetHeld(int piece, bool held)
    {
        if (_held[piece] != held)
        {
            MoveFresh(piece, () => _held[piece] = held);
        }
    }

    /// <summary>
    /// Makes <paramref name="piece"/> time-critical (a stream reads it soon): its blocks are picked before
    /// any other's, smaller <paramref name="deadline"/> first, and it is wanted even at priority 0.
    /// </summary>
    public void SetDeadline(int piece, long deadline)
    {
        if (!_have[piece] && _deadlines.DeadlineOf(piece) != deadline)
        {
            MoveFresh(piece, () => _deadlines.Set(piece, deadline));
        }
    }

    /// <summary>Drops the deadline of <paramref name="piece"/>: it is picked by its priority again.</summary>
    public void ClearDeadline(int piece)
    {
        if (_deadlines.Has(piece))
        {
            MoveFresh(piece, () => _deadlines.Clear(piece));
        }
    }

    /// <summary>True when <paramref name="piece"/> has a deadline.</summary>
    public bool HasDeadline(int piece) => _deadlines.Has(piece);

    /// <summary>True when a block of <paramref name="piece"/> is requested or received (it is being downloaded).</summary>
    public bool IsStarted(int piece) => _downloading[piece] is not null;

    /// <summary>The piece with a deadline is overdue: its blocks still out may be asked of a second peer.</summary>
    public void SetDeadlineLate(int piece) => _deadlines.SetLate(piece);

    /// <summary>
    /// Gives the piece ranges (first and last piece, inclusive) of the wanted files, for
    /// <see cref="FirstLastPieceFirst"/>. Replaces the previous ranges.
    /// </summary>
    public void SetFirstLastPieces(ReadOnlySpan<(int FirstPiece, int LastPiece)> files)
    {
        var flags = new bool[PieceCount];
        foreach ((int first, int last) in files)
        {
            if ((uint)first >= (uint)PieceCount || (uint)last >= (uint)PieceCount || last < first)
            {
                throw new ArgumentOutOfRangeException(nameof(files), $"A file's pieces {first}..{last} are outside 0..{PieceCount - 1}.");
            }

            flags[first] = true;
            flags[last] = true;
        }

        for (int i = 0; i < PieceCount; i++)
        {
            if (flags[i] != _firstLast[i])
            {
                bool value = flags[i];
                MoveFresh(i, () => _firstLast[i] = value);
            }
        }
    }

    /// <summary>The peer sent its bitfield (BEP 3). A full one counts it as a seed.</summary>
    public void PeerHas(int peer, Bitfield pieces)
    {
        if (pieces.Count != PieceCount)
        {
            throw new ArgumentException($"The peer's bitfield has {pieces.Count} pieces, not {PieceCount}.", nameof(pieces));
        }

        PeerPickState st = ResetPeerPieces(peer);
        if (pieces.AllSet && PieceCount > 0)
        {
            st.IsSeed = true;
            _seeds++;
            return;
        }

        for (int i = pieces.NextSet(0); i >= 0; i = pieces.NextSet(i + 1))
        {
            st.Has[i] = true;
            ChangeAvailability(i, 1);
        }
    }

    /// <summary>The peer sent have-all (BEP 6). Seeds are counted once, not per piece, so this is O(1).</summary>
    public void PeerHasAll(int peer)
    {
        PeerPickState st = ResetPeerPieces(peer);
        st.IsSeed = true;
        _seeds++;
    }

    /// <summary>The peer sent have-none (BEP 6), or connected without a bitfield.</summary>
    public void PeerHasNone(int peer) => ResetPeerPieces(peer);

    /// <summary>The peer sent have (BEP 3).</summary>
    public void PeerHave(int peer, int piece)
    {
        PeerPickState st = GetOrAddPeer(peer);
        if (st.IsSeed || st.Has[piece])
        {
            return;
        }

        st.Has[piece] = true;
        ChangeAvailability(piece, 1);
    }

    /// <summary>The peer disconnected: its pieces stop counting and its requests are freed for others.</summary>
    public void PeerLeft(int peer)
    {
        if (!_peers.Remove(peer, out PeerPickState? st))
        {
            return;
        }

        foreach (long key in st.Pending)
        {
            ReleaseBlock((int)(key >> 32), (int)key);
        }

        st.Pending.Clear();
        RemoveAvailability(st);
    }

    /// <summary>
    /// The peer choked us. BEP 3: requests not answered by then are dropped by the peer, so they are freed
    /// here, except those for allowed-fast pieces, which BEP 6 lets a peer keep serving while choking.
    /// </summary>
    public void PeerChoked(int peer)
    {
        PeerPickState st = GetOrAddPeer(peer);
        st.Choked = true;
        _scratch.Clear();
        foreach (long key in st.Pending)
        {
            if (!st.AllowedFast.Contains((int)(key >> 32)))
            {
                _scratch.Add(key);
            }
        }

        foreach (long key in _scratch)
        {
            st.Pending.Remove(key);
            ReleaseBlock((int)(key >> 32), (int)key);
        }
    }

    /// <summary>The source serves runs of pieces best (a web seed): picks continue from the last piece when it is as rare.</summary>
    public void PeerPrefersRuns(int peer) => GetOrAddPeer(peer).PrefersRuns = true;

    /// <summary>The peer unchoked us: any wanted piece it has may be requested.</summary>
    public void PeerUnchoked(int peer) => GetOrAddPeer(peer).Choked = false;

    /// <summary>The peer allows <paramref name="piece"/> to be requested while it chokes us (BEP 6). Tried first.</summary>
    public void AllowedFast(int peer, int piece) => AddHint(GetOrAddPeer(peer).AllowedFast, piece);

    /// <summary>The peer suggests <paramref name="piece"/> (BEP 6). Tried first when it unchokes us.</summary>
    public void Suggest(int peer, int piece) => AddHint(GetOrAddPeer(peer).Suggested, piece);

    /// <summary>True when the peer has a piece we want and do not have (whether to send <c>interested</c>).</summary>
    public bool IsInteresting(int peer)
    {
        if (!_peers.TryGetValue(peer, out PeerPickState? st))
        {
            return false;
        }

        if (st.IsSeed)
        {
            for (int i = _have.NextClear(0); i >= 0; i = _have.NextClear(i + 1))
            {
                if (Level(i) != 0)
                {
                    return true;
                }
            }

            return false;
        }

        for (int i = st.Has.NextSet(0); i >= 0; i = st.Has.NextSet(i + 1))
        {
            if (!_have[i] && Level(i) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Picks up to <c>destination.Length</c> blocks to request from <paramref name="peer"/> and records them
    /// as in flight. Never returns a block the peer does not have, a piece of priority 0, or (while the peer
    /// chokes us) a block outside its allowed-fast set.
    /// </summary>
    /// <returns>The number of blocks written to <paramref name="destination"/>.</returns>
    public int PickBlocks(int peer, Span<BlockRequest> destination)
    {
        if (!_peers.TryGetValue(peer, out PeerPickState? st) || destination.IsEmpty)
        {
            return 0;
        }

        int written = 0;
        foreach (int piece in st.AllowedFast)
        {
            if (written == destination.Length)
            {
                return written;
            }

            written += TakeFreeBlocks(st, piece, destination[written..]);
        }

        if (st.Choked)
        {
            return written;
        }

        written += PickDeadlinePieces(st, destination[written..]);
        foreach (int piece in st.Suggested)
        {
            if (written == destination.Length)
            {
                return written;
            }

            written += TakeFreeBlocks(st, piece, destination[written..]);
        }

        while (written < destination.Length)
        {
            int piece = Sequential ? NextSequentialPiece(st) : NextInRun(st) is var next and >= 0 ? next : NextPiece(st);
            if (piece < 0)
            {
                break;
            }

            st.LastPicked = piece;

            written += TakeFreeBlocks(st, piece, destination[written..]);
        }

        int allowance = Math.Min(destination.Length - written, EndGameMaxPending - st.Pending.Count);
        if (allowance > 0 && InEndGame)
        {
            written += _endGame.Pick(st, destination.Slice(written, allowance));
        }

        return written;
    }

    /// <summary>
    /// A block arrived from <paramref name="peer"/>. In end-game, <paramref name="cancelPeers"/> receives
    /// (after being cleared) the other peers that were asked for the same block and must now get a
    /// <c>cancel</c>; their requests are already forgotten here.
    /// </summary>
    public BlockOutcome BlockReceived(int peer, BlockRequest block, List<int> cancelPeers)
    {
        cancelPeers.Clear();
        if (!IsValidBlock(block))
        {
            return BlockOutcome.Rejected;
        }

        int piece = block.Piece;
        int b = block.BlockIndex;
        long key = Key(piece, b);
        bool wasPending = _peers.TryGetValue(peer, out PeerPickState? st) && st.Pending.Remove(key);
        if (_have[piece])
        {
            return BlockOutcome.Duplicate;
        }

        DownloadingPiece? dp = _downloading[piece];
        if (dp is null)
        {
            // A late answer to a request we cancelled or timed out: still good data if we want the piece.
            if (Level(piece) == 0)
            {
                return BlockOutcome.Rejected;
            }

            dp = StartPiece(piece);
        }

        if (wasPending && dp.Requests[b] > 0)
        {
            dp.Requests[b]--;
        }
        else if (!dp.Received[b] && dp.Requests[b] == 0)
        {
            dp.Free--;
        }

        if (dp.Received[b])
        {
            return BlockOutcome.Duplicate;
        }

        dp.Received[b] = true;
        dp.ReceivedCount++;
        if (dp.Requests[b] > 0)
        {
            // End-game duplicates still out: the caller cancels them (BEP 3 cancel message).
            foreach (KeyValuePair<int, PeerPickState> other in _peers)
            {
                if (other.Value.Pending.Remove(key))
                {
                    cancelPeers.Add(other.Key);
                }
            }

            dp.Requests[b] = 0;
        }

        return dp.ReceivedCount == dp.BlockCount ? BlockOutcome.PieceComplete : BlockOutcome.Accepted;
    }

    /// <summary>
    /// A request to <paramref name="peer"/> was cancelled by us, rejected by the peer (BEP 6), or timed out:
    /// the block becomes free for any peer.
    /// </summary>
    /// <returns>False when the request was not outstanding.</returns>
    public bool RequestCancelled(int peer, BlockRequest block)
    {
        if (!IsValidBlock(block) || !_peers.TryGetValue(peer, out PeerPickState? st) || !st.Pending.Remove(Key(block.Piece, block.BlockIndex)))
        {
            return false;
        }

        ReleaseBlock(block.Piece, block.BlockIndex);
        return true;
    }

    /// <summary>A request timed out; the same as <see cref="RequestCancelled"/> (the caller sends the cancel).</summary>
    public bool RequestTimedOut(int peer, BlockRequest block) => RequestCancelled(peer, block);

    /// <summary>The piece passed its hash check: we have it, and nothing more is requested for it.</summary>
    public void PieceVerified(int piece)
    {
        if (_have[piece])
        {
            return;
        }

        _have[piece] = true;
        if (_fresh.Contains(piece))
        {
            FreshRemove(piece);
        }

        _deadlines.Clear(piece);

        if (_downloading[piece] is { } dp)
        {
            ForgetRequests(dp);
            Recycle(dp);
        }

        AdvanceSequentialCursor();
    }

    /// <summary>The piece failed its hash check: every block of it is needed again (from any peer).</summary>
    public void PieceFailed(int piece)
    {
        if (_have[piece])
        {
            return;
        }

        if (_downloading[piece] is { } dp)
        {
            ForgetRequests(dp);
            Recycle(dp);
            FreshAdd(piece);
        }
    }

    private static void AddHint(List<int> hints, int piece)
    {
        if (hints.Count < MaxHintsPerPeer && !hints.Contains(piece))
        {
            hints.Add(piece);
        }
    }

    private int Level(int piece)
    {
        // A held piece cannot be verified yet (its v2 piece layer is missing), so not even a stream's deadline picks it.
        if (_held[piece])
        {
            return 0;
        }

        if (_deadlines.Has(piece))
        {
            return TopPriority;
        }

        int p = _priority[piece];
        return p != 0 && _firstLastEnabled && _firstLast[piece] ? TopPriority : p;
    }

    private bool IsValidBlock(BlockRequest block)
    {
        if ((uint)block.Piece >= (uint)PieceCount || block.Offset < 0 || block.Offset % BlockRequest.BlockSize != 0)
        {
            return false;
        }

        int size = PieceSize(block.Piece);
        return block.Offset < size && block.Length == Math.Min(BlockRequest.BlockSize, size - block.Offset);
    }

    /// <summary>Time-critical pieces first, in deadline order; then duplicates of late ones' outstanding blocks.</summary>
    private int PickDeadlinePieces(PeerPickState st, Span<BlockRequest> destination)
    {
        int written = 0;
        for (int i = 0; i < _deadlines.Ordered.Count && written < destination.Length; i++)
        {
            written += TakeFreeBlocks(st, _deadlines.Ordered[i], destination[written..]);
        }

        if (written < destination.Length && _deadlines.Count != 0)
        {
            written += _deadlines.PickLate(st, _downloadingOf, _pieceSizeOf, destination[written..]);
        }

        return written;
    }

    private PeerPickState GetOrAddPeer(int peer)
    {
        if (!_peers.TryGetValue(peer, out PeerPickState? st))
        {
            // BEP 3: a connection starts choked.
            st = new PeerPickState(PieceCount) { Choked = true };
            _peers.Add(peer, st);
        }

        return st;
    }

    private PeerPickState ResetPeerPieces(int peer)
    {
        PeerPickState st = GetOrAddPeer(peer);
        RemoveAvailability(st);
        return st;
    }

    private void RemoveAvailability(PeerPickState st)
    {
        if (st.IsSeed)
        {
            st.IsSeed = false;
            _seeds--;
            return;
        }

        for (int i = st.Has.NextSet(0); i >= 0; i = st.Has.NextSet(i + 1))
        {
            ChangeAvailability(i, -1);
        }

        st.Has.SetAll(false);
    }

    private void ChangeAvailability(int piece, int delta)
    {
        bool fresh = _fresh.Contains(piece);
        if (fresh)
        {
            FreshRemove(piece);
        }

        _availability[piece] += delta;
        if (fresh)
        {
            FreshAdd(piece);
        }
    }

    /// <summary>Applies a change of a piece's level while keeping its bucket right.</summary>
    private void MoveFresh(int piece, Action change)
    {
        bool fresh = _fresh.Contains(piece);
        if (fresh)
        {
            FreshRemove(piece);
        }

        change();
        if (fresh)
        {
            FreshAdd(piece);
        }
    }

    private void FreshAdd(int piece) => _fresh.Add(piece, Level(piece), _availability[piece]);

    private void FreshRemove(int piece) => _fresh.Remove(piece);

    private DownloadingPiece StartPiece(int piece)
    {
        if (_fresh.Contains(piece))
        {
            FreshRemove(piece);
        }

        DownloadingPiece dp = _pool.Count > 0 ? _pool.Pop() : new DownloadingPiece(_blocksPerPiece);
        dp.Reset(piece, BlockCount(piece));
        dp.ListIndex = _downloadingList.Count;
        _downloadingList.Add(dp);
        _downloading[piece] = dp;
        return dp;
    }

    private void Recycle(DownloadingPiece dp)
    {
        int index = dp.ListIndex;
        DownloadingPiece last = _downloadingList[^1];
        _downloadingList[index] = last;
        last.ListIndex = index;
        _downloadingList.RemoveAt(_downloadingList.Count - 1);
        _downloading[dp.Piece] = null;
        _pool.Push(dp);
    }

    /// <summary>Drops every peer's outstanding request for a piece that is finished or failed.</summary>
    private void ForgetRequests(DownloadingPiece dp)
    {
        for (int b = 0; b < dp.BlockCount; b++)
        {
            if (dp.Requests[b] == 0)
            {
                continue;
            }

            long key = Key(dp.Piece, b);
            foreach (PeerPickState st in _peers.Values)
            {
                st.Pending.Remove(key);
            }
        }
    }

    private void ReleaseBlock(int piece, int block)
    {
        DownloadingPiece? dp = _downloading[piece];
        if (dp is null || dp.Requests[block] == 0)
        {
            return;
        }

        if (--dp.Requests[block] == 0 && !dp.Received[block])
        {
            dp.Free++;
            if (dp.Free == dp.BlockCount)
            {
                // Nothing requested or received: back among the fresh pieces, ranked by rarity again.
                Recycle(dp);
                FreshAdd(piece);
            }
        }
    }

    private int TakeFreeBlocks(PeerPickState st, int piece, Span<BlockRequest> destination)
    {
        if (_have[piece] || Level(piece) == 0 || !st.HasPiece(piece))
        {
            return 0;
        }

        DownloadingPiece? dp = _downloading[piece];
        if (dp is null)
        {
            dp = StartPiece(piece);
        }
        else if (dp.Free == 0)
        {
            return 0;
        }

        int written = 0;
        int size = PieceSize(piece);
        for (int b = 0; b < dp.BlockCount && written < destination.Length && dp.Free > 0; b++)
        {
            if (dp.Requests[b] != 0 || dp.Received[b])
            {
                continue;
            }

            dp.Requests[b] = 1;
            dp.Free--;
            st.Pending.Add(Key(piece, b));
            int offset = b * BlockRequest.BlockSize;
            destination[written++] = new BlockRequest(piece, offset, Math.Min(BlockRequest.BlockSize, size - offset));
        }

        return written;
    }

    /// <summary>
    /// For a source that serves runs (a web seed, one GET per run): the piece after the last one
    /// picked, when it is untouched, wanted at least as much and no commoner, so rarest-first still
    /// decides where runs start; -1 otherwise.
    /// </summary>
    private int NextInRun(PeerPickState st)
    {
        int last = st.LastPicked;
        if (st.PrefersRuns && last >= 0 && _downloading[last] is { Free: > 0 } && Level(last) > 0)
        {
            // The last piece first: a queue topped up a few blocks at a time would otherwise start
            // the next piece each time and leave every run a fragment of a piece.
            return last;
        }

        int next = last + 1;
        if (!st.PrefersRuns || last < 0 || next >= PieceCount || _have[next] || _downloading[next] is not null
            || Level(next) == 0 || Level(next) < Level(last) || Availability(next) > Availability(last) || !st.HasPiece(next))
        {
            return -1;
        }

        return next;
    }

    /// <summary>The best piece with a free block the peer has: a started one unless a fresh one has a higher level.</summary>
    private int NextPiece(PeerPickState st)
    {
        int bestPartial = -1;
        int bestLevel = 0;
        int bestFree = int.MaxValue;
        foreach (DownloadingPiece dp in _downloadingList)
        {
            if (dp.Free == 0)
            {
                continue;
            }

            int level = Level(dp.Piece);
            if (level == 0 || level < bestLevel || (level == bestLevel && dp.Free >= bestFree) || !st.HasPiece(dp.Piece))
            {
                continue;
            }

            // Among started pieces of one level, the one closest to done: it frees its buffers soonest.
            bestPartial = dp.Piece;
            bestLevel = level;
            bestFree = dp.Free;
        }

        int fresh = _fresh.Next(st, Math.Max(1, bestLevel + 1));
        return fresh >= 0 ? fresh : bestPartial;
    }

    /// <summary>Sequential mode: the lowest-index piece with a free block the peer has, at the highest level.</summary>
    private int NextSequentialPiece(PeerPickState st)
    {
        int topLevel = 0;
        for (int level = TopPriority; level > 0 && topLevel == 0; level--)
        {
            if (_fresh.Count(level) != 0)
            {
                topLevel = level;
            }
        }

        foreach (DownloadingPiece dp in _downloadingList)
        {
            if (dp.Free != 0)
            {
                topLevel = Math.Max(topLevel, Level(dp.Piece));
            }
        }

        int best = -1;
        int bestLevel = 0;
        for (int i = _sequentialCursor; i >= 0 && i < PieceCount; i = _have.NextClear(i + 1))
        {
            int level = Level(i);
            if (level <= bestLevel)
            {
                continue;
            }

            bool pickable = _fresh.Contains(i) || _downloading[i] is { Free: > 0 };
            if (pickable && st.HasPiece(i))
            {
                best = i;
                bestLevel = level;
                if (level >= topLevel)
                {
                    break;
                }
            }
        }

        return best;
    }

    private void AdvanceSequentialCursor()
    {
        int next = _have.NextClear(_sequentialCursor);
        _sequentialCursor = next < 0 ? PieceCount : next;
    }
}
