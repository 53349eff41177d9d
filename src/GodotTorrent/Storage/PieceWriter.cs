using System.Buffers;
using System.Threading.Channels;

namespace GodotTorrent.Storage;

/// <summary>
/// The write path: blocks arrive from peers in any order; each is written through
/// <see cref="IPieceStorage"/> on the thread pool, and each piece is hashed as its bytes become
/// contiguous. When a piece is complete the engine reads one <see cref="PieceWriteEvent"/> from
/// <see cref="Events"/>: passed (mark it verified), hash failed or storage failed (download it
/// again). Nothing here ever throws into the engine.
/// </summary>
/// <remarks>
/// <para>Memory: a block's buffer counts against <see cref="MaxBufferedBytes"/> from its
/// reservation (<see cref="TryReserve"/>, <see cref="ReserveAsync"/>) until it is written and,
/// if it was next in its piece, hashed. A block that arrives ahead of a gap is not held in
/// memory: it is written and freed, and read back from storage (usually the page cache) once the
/// gap is filled. So buffered memory never exceeds the budget however peers order their blocks,
/// and a missing block can never deadlock the budget. The engine stops requesting while
/// <see cref="IsOverBudget"/> (or awaits <see cref="ReserveAsync"/>): a slow disk throttles the
/// swarm instead of growing memory. Read-back uses one transient block buffer per piece being hashed.</para>
/// <para>Threading: the methods are safe from any thread; the engine loop is the usual caller.</para>
/// </remarks>
internal sealed class PieceWriter
{
    private readonly IPieceStorage _storage;
    private readonly Engine.IBackgroundRunner _runner;
    private readonly PieceLayout _layout;
    private readonly object _lock = new();
    private readonly Dictionary<int, PieceState> _pieces = [];
    private readonly Queue<(int Bytes, TaskCompletionSource Waiter)> _waiters = new();
    private readonly Channel<PieceWriteEvent> _events = Channel.CreateUnbounded<PieceWriteEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Bitfield _passed;
    private long _reserved;
    private long _peak;
    private int _inFlight;
    private TaskCompletionSource? _idle;

    /// <param name="storage">Where blocks go.</param>
    /// <param name="maxBufferedBytes">The memory budget for blocks not yet written and hashed.</param>
    /// <param name="runner">Where writes and hashing run (the thread pool by default).</param>
    public PieceWriter(IPieceStorage storage, long maxBufferedBytes, Engine.IBackgroundRunner? runner = null)
    {
        _runner = runner ?? Engine.ThreadPoolRunner.Instance;
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedBytes, BlockSize);
        _storage = storage;
        _layout = new PieceLayout(storage.Torrent);
        MaxBufferedBytes = maxBufferedBytes;
        _passed = new Bitfield(_layout.PieceCount);
    }

    /// <summary>
    /// One completion per piece finished (passed or failed). The channel is unbounded, but holds
    /// at most one event per piece of the torrent between drains.
    /// </summary>
    public ChannelReader<PieceWriteEvent> Events => _events.Reader;

    /// <summary>The budget.</summary>
    public long MaxBufferedBytes { get; }

    /// <summary>Bytes reserved or held in buffers now.</summary>
    public long BufferedBytes => Interlocked.Read(ref _reserved);

    /// <summary>Bytes that can still be reserved.</summary>
    public long AvailableBytes => Math.Max(0, MaxBufferedBytes - BufferedBytes);

    /// <summary>True when no more blocks fit: the engine should stop requesting until it clears.</summary>
    public bool IsOverBudget => AvailableBytes < BlockSize;

    /// <summary>The most bytes ever reserved at once (for tests and statistics).</summary>
    public long PeakBufferedBytes => Interlocked.Read(ref _peak);

    // Standard request size (BEP 3 practice, and the BEP 52 leaf size).
    private const int BlockSize = 16 * 1024;

    /// <summary>Reserves <paramref name="bytes"/> of the budget for a block about to be received; false when it does not fit.</summary>
    public bool TryReserve(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        lock (_lock)
        {
            // Waiters go first, so a stream of small reservations cannot starve a waiting one.
            if (_waiters.Count > 0 || _reserved + bytes > MaxBufferedBytes)
            {
                return false;
            }

            Add(bytes);
            return true;
        }
    }

    /// <summary>Reserves <paramref name="bytes"/>, waiting (in order) until the budget has room.</summary>
    public ValueTask ReserveAsync(int bytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, MaxBufferedBytes);
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && _reserved + bytes <= MaxBufferedBytes)
            {
                Add(bytes);
                return ValueTask.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue((bytes, waiter));
        }

        return new ValueTask(WaitReservedAsync(bytes, waiter, cancellationToken));
    }

    /// <summary>Gives back a reservation that will not be used (the peer never sent the block).</summary>
    public void Release(int bytes) => Unreserve(bytes);

    /// <summary>
    /// Hands over a received block. <paramref name="buffer"/> comes from <see cref="ArrayPool{T}.Shared"/>
    /// and is owned by the writer from now on; <paramref name="length"/> bytes of it were reserved.
    /// Blocks of pieces already passed, and blocks already received, are dropped.
    /// </summary>
    public void Submit(int piece, int offset, byte[] buffer, int length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        int size = _layout.GetPieceSize(piece);
        if (offset < 0 || length <= 0 || length > buffer.Length || (long)offset + length > size)
        {
            Free(buffer, length);
            throw new ArgumentOutOfRangeException(nameof(offset), $"Block {offset}+{length} is outside piece {piece} of {size} bytes.");
        }

        PieceState state;
        lock (_lock)
        {
            if (_passed[piece])
            {
                // Never write over verified data (a late endgame duplicate).
                FreeLocked(buffer, length);
                return;
            }

            if (!_pieces.TryGetValue(piece, out state!))
            {
                state = new PieceState(piece, size);
                _pieces.Add(piece, state);
            }

            // A block is taken once: a second copy with other bytes could land on disk after the
            // first was hashed, leaving a "verified" piece with unverified bytes.
            if (!state.Claimed.Add(offset))
            {
                FreeLocked(buffer, length);
                return;
            }

            _inFlight++;
        }

        _ = _runner.Run(() => ProcessAsync(state, offset, buffer, length));
    }

    /// <summary>Completes when every submitted block has been written and hashed (before saving resume data).</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            if (_inFlight == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    /// <summary>How many unfinished pieces have blocks written (what status shows; no copies made).</summary>
    public int PartialPieceCount
    {
        get
        {
            lock (_lock)
            {
                return _pieces.Values.Count(s => s.Written.SetCount > 0);
            }
        }
    }

    /// <summary>
    /// The 16 KiB blocks written to storage for pieces not finished yet: what resume data saves
    /// so a restart does not download them again.
    /// </summary>
    public IReadOnlyDictionary<int, Bitfield> GetPartialPieces()
    {
        lock (_lock)
        {
            return _pieces.Values.Where(s => s.Written.SetCount > 0).ToDictionary(s => s.Piece, s => s.Written.Clone());
        }
    }

    /// <summary>
    /// Declares blocks already in storage from a previous run (resume data). They are hashed by
    /// reading them back when the piece's earlier bytes are in; if they were bad the piece fails
    /// its hash and is downloaded again, so restoring never makes bad data verified.
    /// </summary>
    /// <returns>The byte offsets of the restored blocks, which the engine need not request.</returns>
    public IReadOnlyList<int> RestorePartialPiece(int piece, Bitfield blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        int size = _layout.GetPieceSize(piece);
        int count = BlockCount(size);
        if (blocks.Count != count)
        {
            throw new ArgumentException($"Piece {piece} has {count} blocks, not {blocks.Count}.", nameof(blocks));
        }

        var offsets = new List<int>();
        PieceState? state;
        lock (_lock)
        {
            if (_passed[piece])
            {
                return offsets;
            }

            if (!_pieces.TryGetValue(piece, out state))
            {
                state = new PieceState(piece, size);
                _pieces.Add(piece, state);
            }

            foreach (int block in blocks.SetIndices())
            {
                int offset = block * BlockSize;
                if (state.Claimed.Add(offset))
                {
                    state.Pending[offset] = Math.Min(BlockSize, size - offset);
                    state.Written[block] = true;
                    offsets.Add(offset);
                }
            }

            if (offsets.Count == 0)
            {
                return offsets;
            }

            _inFlight++;
        }

        // Hash whatever is contiguous now: all of the piece may already be there.
        _ = _runner.Run(() => ProcessAsync(state, -1, null, 0));
        return offsets;
    }

    /// <summary>Marks a piece verified by other means (a check), so its blocks are never rewritten.</summary>
    public void MarkPassed(int piece)
    {
        lock (_lock)
        {
            _passed[piece] = true;
            _pieces.Remove(piece);
        }
    }

    private static int BlockCount(int pieceSize) => (pieceSize + BlockSize - 1) / BlockSize;

    private async Task WaitReservedAsync(int bytes, TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        try
        {
            await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            bool granted;
            lock (_lock)
            {
                // Either still queued (take it out) or granted in the race (give the bytes back).
                granted = waiter.Task.IsCompleted;
                if (!granted)
                {
                    var rest = _waiters.Where(w => w.Waiter != waiter).ToArray();
                    _waiters.Clear();
                    foreach (var w in rest)
                    {
                        _waiters.Enqueue(w);
                    }
                }
            }

            if (granted)
            {
                Unreserve(bytes);
            }
            else
            {
                GrantWaiters();
            }

            throw;
        }
    }

    // A null buffer only advances the hash over blocks already in storage (restored from resume data).
    private async Task ProcessAsync(PieceState state, int offset, byte[]? buffer, int length)
    {
        PieceWriteEvent? completion = null;
        try
        {
            if (buffer is not null)
            {
                try
                {
                    await _storage.WriteAsync(state.Piece, offset, buffer.AsMemory(0, length)).ConfigureAwait(false);
                }
                catch (StorageException ex)
                {
                    completion = Drop(state, ex);
                    return;
                }
            }

            // Runs on the background runner: on the pool this is the same as false, in a simulation it stays on the scheduler.
            await state.Gate.WaitAsync().ConfigureAwait(true);
            try
            {
                completion = await AdvanceAsync(state, offset, buffer, length).ConfigureAwait(false);
            }
            finally
            {
                state.Gate.Release();
            }
        }
        catch (Exception ex) when (ex is not StorageException)
        {
            // Storage must only throw StorageException; anything else still must not escape into the thread pool.
            completion = Drop(state, new StorageException(ErrorCode.StorageIo, $"Writing piece {state.Piece} failed: {ex.Message}", innerException: ex));
        }
        finally
        {
            if (buffer is not null)
            {
                Free(buffer, length);
            }

            if (completion is { } done)
            {
                _events.Writer.TryWrite(done);
            }

            lock (_lock)
            {
                if (--_inFlight == 0 && _idle is not null)
                {
                    _idle.TrySetResult();
                    _idle = null;
                }
            }
        }
    }

    // Under the piece's gate: records the block, then hashes every contiguous byte now available.
    private async Task<PieceWriteEvent?> AdvanceAsync(PieceState state, int offset, byte[]? buffer, int length)
    {
        lock (_lock)
        {
            if (!_pieces.TryGetValue(state.Piece, out var current) || current != state)
            {
                return null; // The piece was dropped (a storage error) while this block was in flight.
            }

            if (buffer is null)
            {
                offset = -1;
            }
            else
            {
                state.Pending[offset] = length;
            }

            if (offset >= 0 && offset % BlockSize == 0 && (length == BlockSize || offset + length == state.Size))
            {
                state.Written[offset / BlockSize] = true;
            }
        }

        state.Hasher ??= new PieceHasher(_layout);
        if (state.Hasher.Piece != state.Piece)
        {
            state.Hasher.Reset(state.Piece);
        }

        byte[]? scratch = null;
        try
        {
            while (true)
            {
                int position = state.Hasher.Position;
                int pending;
                lock (_lock)
                {
                    if (!state.Pending.Remove(position, out pending))
                    {
                        break;
                    }
                }

                if (position == offset && buffer is not null)
                {
                    state.Hasher.Append(buffer.AsSpan(0, length));
                }
                else
                {
                    // Written earlier ahead of a gap and freed: read it back to hash it.
                    scratch ??= ArrayPool<byte>.Shared.Rent(BlockSize);
                    if (scratch.Length < pending)
                    {
                        ArrayPool<byte>.Shared.Return(scratch);
                        scratch = ArrayPool<byte>.Shared.Rent(pending);
                    }

                    await _storage.ReadAsync(state.Piece, position, scratch.AsMemory(0, pending)).ConfigureAwait(false);
                    state.Hasher.Append(scratch.AsSpan(0, pending));
                }
            }
        }
        catch (StorageException ex)
        {
            return Drop(state, ex);
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        if (state.Hasher.Position < state.Size)
        {
            return null;
        }

        bool passed = state.Hasher.Verify();
        state.Hasher.Dispose();
        lock (_lock)
        {
            _pieces.Remove(state.Piece);
            if (passed)
            {
                _passed[state.Piece] = true;
            }
        }

        // A failed piece is forgotten entirely: never marked, its blocks requested again from scratch.
        return new PieceWriteEvent(state.Piece, passed ? PieceWriteOutcome.Passed : PieceWriteOutcome.HashFailed);
    }

    private PieceWriteEvent? Drop(PieceState state, StorageException error)
    {
        lock (_lock)
        {
            if (!_pieces.TryGetValue(state.Piece, out var current) || current != state)
            {
                return null; // Already dropped and reported once.
            }

            _pieces.Remove(state.Piece);
        }

        return new PieceWriteEvent(state.Piece, PieceWriteOutcome.StorageFailed, error);
    }

    private void Add(int bytes)
    {
        _reserved += bytes;
        if (_reserved > _peak)
        {
            Interlocked.Exchange(ref _peak, _reserved);
        }
    }

    private void Free(byte[] buffer, int length)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        Unreserve(length);
    }

    private void FreeLocked(byte[] buffer, int length)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        _reserved -= length;
        if (_waiters.Count > 0)
        {
            // Grant outside the lock: completing a waiter runs no continuation inline (RunContinuationsAsynchronously).
            GrantWaitersLocked();
        }
    }

    private void Unreserve(int bytes)
    {
        lock (_lock)
        {
            _reserved -= bytes;
            GrantWaitersLocked();
        }
    }

    private void GrantWaiters()
    {
        lock (_lock)
        {
            GrantWaitersLocked();
        }
    }

    private void GrantWaitersLocked()
    {
        while (_waiters.Count > 0 && _reserved + _waiters.Peek().Bytes <= MaxBufferedBytes)
        {
            var (bytes, waiter) = _waiters.Dequeue();
            Add(bytes);
            waiter.TrySetResult();
        }
    }

    private sealed class PieceState(int piece, int size)
    {
        public int Piece { get; } = piece;

        public int Size { get; } = size;

        /// <summary>Serialises hashing of this piece; writes of its blocks run in parallel.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Offsets of blocks received (under the writer's lock).</summary>
        public HashSet<int> Claimed { get; } = [];

        /// <summary>Blocks in storage and not hashed yet: offset to length (under the writer's lock).</summary>
        public Dictionary<int, int> Pending { get; } = [];

        /// <summary>16 KiB blocks written to storage, for resume data (under the writer's lock).</summary>
        public Bitfield Written { get; } = new(BlockCount(size));

        /// <summary>Touched only under <see cref="Gate"/>.</summary>
        public PieceHasher? Hasher { get; set; }
    }
}
