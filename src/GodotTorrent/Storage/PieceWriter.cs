using System.Buffers;
using System.Threading.Channels;
using GodotTorrent.Disk;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>
/// One torrent's part of the session's write path: blocks arrive from peers in any order; they are
/// queued for a worker on the thread pool, which writes each run of contiguous blocks of a piece
/// with one vectored write when the storage offers one (<see cref="IVectoredPieceWrites"/>; block by
/// block through <see cref="IPieceStorage"/> otherwise), and each piece is hashed as its bytes become
/// contiguous. When a piece is complete the engine reads one <see cref="PieceWriteEvent"/> from
/// <see cref="Events"/>: passed (mark it verified), hash failed or storage failed (download it
/// again). Nothing here ever throws into the engine.
/// </summary>
/// <remarks>
/// <para>Memory: a block's buffer counts against this torrent's <see cref="DiskAccount"/> in the
/// session's one <see cref="DiskService"/> budget from its
/// reservation (<see cref="TryReserve"/>, <see cref="ReserveAsync"/>) until it is written and,
/// if it was next in its piece, hashed. A block that arrives ahead of a gap is written first and
/// then kept in memory to be hashed when the gap fills, up to a quarter of the budget; beyond that,
/// or as soon as a reservation is refused, such blocks are freed and read back from storage
/// (usually the page cache) instead. Since they are already written, freeing them is always safe,
/// so buffered memory never exceeds the budget however peers order their blocks, and a missing
/// block can never deadlock the budget. The engine stops requesting while
/// <see cref="IsOverBudget"/> (or awaits <see cref="ReserveAsync"/>): a slow disk throttles the
/// swarm instead of growing memory. Read-back uses one transient block buffer per piece being hashed.</para>
/// <para>Threading: the methods are safe from any thread; the engine loop is the usual caller.
/// Writes and hashing run through <see cref="DiskService.Run"/>, which posts nothing itself: results
/// go to <see cref="Events"/>, which the engine loop drains. One worker per torrent, a second while
/// a mebibyte waits: while a worker writes and hashes, the blocks arriving queue up and become its
/// next runs (a worker posted per block started before the next block came, so runs never formed).</para>
/// </remarks>
internal sealed class PieceWriter
{
    private readonly IPieceStorage _storage;
    private readonly DiskService _disk;
    private readonly DiskAccount _account;
    private readonly PieceLayout _layout;
    private readonly object _lock = new();
    private readonly Dictionary<int, PieceState> _pieces = [];
    private readonly Channel<PieceWriteEvent> _events = Channel.CreateUnbounded<PieceWriteEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Bitfield _passed;
    private readonly HashSet<int> _digestsWanted = [];
    private int _inFlight;
    private long _aheadBytes;
    private bool _closed;
    private TaskCompletionSource? _idle;
    private List<QueuedBlock> _queue = [];
    private List<QueuedBlock>? _spareQueue;
    private int _workers;

    /// <summary>A writer alone with its own budget (as if it were the only torrent in a session).</summary>
    /// <param name="storage">Where blocks go.</param>
    /// <param name="maxBufferedBytes">The memory budget for blocks not yet written and hashed.</param>
    public PieceWriter(IPieceStorage storage, long maxBufferedBytes)
        : this(storage, new DiskService(() => maxBufferedBytes))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedBytes, BlockSize);
    }

    /// <summary>A writer drawing on the session's shared budget; <see cref="Close"/> it when it is dropped.</summary>
    /// <param name="storage">Where blocks go.</param>
    /// <param name="disk">The session's disk service.</param>
    public PieceWriter(IPieceStorage storage, DiskService disk)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(disk);
        _storage = storage;
        _disk = disk;
        _account = disk.OpenAccount();
        _layout = new PieceLayout(storage.Torrent);
        _passed = new Bitfield(_layout.PieceCount);
    }

    /// <summary>
    /// One completion per piece finished (passed or failed). The channel is unbounded, but holds
    /// at most one event per piece of the torrent between drains.
    /// </summary>
    public ChannelReader<PieceWriteEvent> Events => _events.Reader;

    /// <summary>The session's whole budget (this writer may hold only its share of it).</summary>
    public long MaxBufferedBytes => _disk.MaxBufferedBytes;

    /// <summary>This torrent's place in the shared budget.</summary>
    public DiskAccount Account => _account;

    /// <summary>Bytes this writer has reserved or holds in buffers now.</summary>
    public long BufferedBytes => _account.ReservedBytes;

    /// <summary>Bytes that can still be reserved (within this torrent's share and the session's total).</summary>
    public long AvailableBytes => _account.AvailableBytes;

    /// <summary>True when no more blocks fit: the engine should stop requesting until it clears.</summary>
    public bool IsOverBudget => AvailableBytes < BlockSize;

    /// <summary>The most bytes ever reserved at once (for tests and statistics).</summary>
    public long PeakBufferedBytes => _account.PeakBytes;

    // Standard request size (BEP 3 practice, and the BEP 52 leaf size).
    private const int BlockSize = Wire.PeerWireLimits.DefaultBlockLength;

    // Blocks per vectored write at most: 4 MiB, well under the kernel's IOV_MAX of 1,024.
    private const int MaxRunBlocks = 256;

    // A second worker joins when this many blocks (1 MiB) wait while the first is busy, so a
    // worker falling behind does not leave the budget filled with queued blocks.
    private const int LongQueue = 64;
    private const int MaxWorkers = 2;

    /// <summary>Reserves <paramref name="bytes"/> of the budget for a block about to be received; false when it does not fit.</summary>
    public bool TryReserve(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        if (_account.TryReserve(bytes))
        {
            return true;
        }

        // Blocks kept ahead of a gap may be what fills the budget: they are on disk already, so
        // letting them go makes room for the blocks that fill the gaps.
        return SpillAhead() && _account.TryReserve(bytes);
    }

    /// <summary>Reserves <paramref name="bytes"/>, waiting (in order) until the budget has room.</summary>
    public ValueTask ReserveAsync(int bytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, MaxBufferedBytes);
        if (_account.TryReserve(bytes))
        {
            return ValueTask.CompletedTask;
        }

        SpillAhead();
        return _account.ReserveAsync(bytes, cancellationToken);
    }

    /// <summary>Gives back a reservation that will not be used (the peer never sent the block).</summary>
    public void Release(int bytes) => _account.Release(bytes);

    /// <summary>
    /// Leaves the shared budget (the writer is being dropped: recheck, error, removal): reservations
    /// for blocks not received go back to the other torrents; blocks being written finish as usual.
    /// </summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }

        SpillAhead();
        _account.Close();
    }

    /// <summary>
    /// Hands over a received block. <paramref name="buffer"/> comes from <see cref="BlockPool"/> (or <see cref="ArrayPool{T}.Shared"/>)
    /// and is owned by the writer from now on; <paramref name="length"/> bytes of it were reserved.
    /// Blocks of pieces already passed, and blocks already received, are dropped.
    /// </summary>
    public void Submit(int piece, int offset, byte[] buffer, int length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        int size = _layout.GetPieceSize(piece);
        if (offset < 0 || length <= 0 || length > buffer.Length || (long)offset + length > size)
        {
            BlockPool.Shared.Return(buffer);
            _account.Release(Math.Max(0, length));
            throw new ArgumentOutOfRangeException(nameof(offset), $"Block {offset}+{length} is outside piece {piece} of {size} bytes.");
        }

        PieceState state;
        lock (_lock)
        {
            if (_passed[piece])
            {
                // Never write over verified data (a late endgame duplicate).
                Discard(buffer, length);
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
                Discard(buffer, length);
                return;
            }

            _inFlight++;
        }

        // Held before it is queued: a worker already running may take it and free it at once.
        _account.Hold(length);
        bool post;
        lock (_lock)
        {
            _queue.Add(new QueuedBlock(state, offset, buffer, length));
            post = _workers == 0 || (_workers < MaxWorkers && _queue.Count >= LongQueue);
            if (post)
            {
                _workers++;
            }
        }

        // A worker takes every block queued when it wakes and, when done with them, whatever
        // arrived meanwhile, until none is left. A block never waits for others: a free pool
        // thread starts on it at once, and the runs form while the worker is busy.
        if (post)
        {
            _ = _disk.Run(DrainAsync);
        }
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
    /// <param name="piece">The piece.</param>
    /// <param name="blocks">Its 16 KiB blocks already in storage.</param>
    /// <param name="knownLeaves">
    /// The SHA-256 of every block of the piece (32 bytes each) when the restored blocks were proven by
    /// BEP 52 block hashes: a v2-only piece then takes their leaves instead of reading them back.
    /// </param>
    /// <returns>The byte offsets of the restored blocks, which the engine need not request.</returns>
    public IReadOnlyList<int> RestorePartialPiece(int piece, Bitfield blocks, byte[]? knownLeaves = null)
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
                    if (knownLeaves is not null && (block + 1) * MerkleTree.HashSize <= knownLeaves.Length)
                    {
                        (state.KnownLeaves ??= [])[offset] = knownLeaves.AsSpan(block * MerkleTree.HashSize, MerkleTree.HashSize).ToArray();
                    }
                }
            }

            if (offsets.Count == 0)
            {
                return offsets;
            }

            _inFlight++;
        }

        // Hash whatever is contiguous now: all of the piece may already be there.
        _ = _disk.Run(() => RestoreAsync(state));
        return offsets;
    }

    /// <summary>
    /// Asks for <see cref="PieceWriteEvent.BlockDigests"/> when <paramref name="piece"/> next passes (a
    /// failed piece always has them): smart ban holds evidence against its earlier bytes.
    /// </summary>
    public void WantBlockDigests(int piece)
    {
        lock (_lock)
        {
            if (!_passed[piece])
            {
                _digestsWanted.Add(piece);
            }
        }
    }

    /// <summary>Marks a piece verified by other means (a check), so its blocks are never rewritten.</summary>
    public void MarkPassed(int piece)
    {
        List<(byte[] Buffer, int Length)>? kept = null;
        lock (_lock)
        {
            _passed[piece] = true;
            _digestsWanted.Remove(piece);
            if (_pieces.Remove(piece, out var state))
            {
                kept = TakeAheadLocked(state, kept);
            }
        }

        FreeAll(kept);
        UpdateWanting();
    }

    private static int BlockCount(int pieceSize) => (pieceSize + BlockSize - 1) / BlockSize;

    // Advances the hash over blocks already in storage (restored from resume data).
    private async Task RestoreAsync(PieceState state)
    {
        PieceWriteEvent? completion = null;
        try
        {
            // Runs on the background runner: on the pool this is the same as false, in a simulation it stays on the scheduler.
            await state.Gate.WaitAsync().ConfigureAwait(true);
            try
            {
                (completion, _) = await AdvanceAsync(state, -1, null, 0).ConfigureAwait(false);
            }
            finally
            {
                state.Gate.Release();
            }
        }
        catch (Exception ex) when (ex is not StorageException)
        {
            // Storage must only throw StorageException; anything else still must not escape into the thread pool.
            completion = Drop(state, new StorageException(ErrorCode.StorageIo, $"Hashing piece {state.Piece} failed: {ex.Message}", innerException: ex));
        }
        finally
        {
            Finish(completion, 1);
        }
    }

    // The worker: takes every block queued, orders them, and writes each run of contiguous blocks
    // of one piece with one call before hashing them; then again while blocks have come meanwhile.
    private async Task DrainAsync()
    {
        var run = new List<ReadOnlyMemory<byte>>();
        while (true)
        {
            List<QueuedBlock> batch;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _workers--;
                    return;
                }

                batch = _queue;
                _queue = _spareQueue ?? [];
                _spareQueue = null;
            }

            await DrainBatchAsync(batch, run).ConfigureAwait(true);
            batch.Clear();
            lock (_lock)
            {
                _spareQueue ??= batch;
            }
        }
    }

    private async Task DrainBatchAsync(List<QueuedBlock> batch, List<ReadOnlyMemory<byte>> run)
    {
        if (batch.Count > 1)
        {
            batch.Sort(static (a, b) => a.State.Piece != b.State.Piece ? a.State.Piece.CompareTo(b.State.Piece) : a.Offset.CompareTo(b.Offset));
        }

        int start = 0;
        while (start < batch.Count)
        {
            int count = 1;
            while (start + count < batch.Count && count < MaxRunBlocks && Follows(batch[start + count - 1], batch[start + count]))
            {
                count++;
            }

            await ProcessRunAsync(batch, start, count, run).ConfigureAwait(true);
            start += count;
        }
    }

    private static bool Follows(QueuedBlock previous, QueuedBlock next) =>
        next.State == previous.State && next.Offset == previous.Offset + previous.Length;

    // Writes batch[start..start+count) (one piece, contiguous), then hashes what it makes contiguous.
    // A failed write drops the piece once, reported as any failed block of it always was.
    private async Task ProcessRunAsync(List<QueuedBlock> batch, int start, int count, List<ReadOnlyMemory<byte>> run)
    {
        var state = batch[start].State;
        PieceWriteEvent? completion = null;
        int handled = 0;
        try
        {
            try
            {
                await WriteRunAsync(batch, start, count, run).ConfigureAwait(true);
            }
            catch (StorageException ex)
            {
                completion = Drop(state, ex);
                return;
            }

            await state.Gate.WaitAsync().ConfigureAwait(true);
            try
            {
                while (handled < count)
                {
                    var block = batch[start + handled];
                    var (done, kept) = await AdvanceAsync(state, block.Offset, block.Buffer, block.Length).ConfigureAwait(false);
                    completion ??= done;
                    handled++;
                    if (!kept)
                    {
                        Free(block.Buffer, block.Length);
                    }
                }
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
            for (int i = handled; i < count; i++)
            {
                Free(batch[start + i].Buffer, batch[start + i].Length);
            }

            Finish(completion, count);
        }
    }

    private async ValueTask WriteRunAsync(List<QueuedBlock> batch, int start, int count, List<ReadOnlyMemory<byte>> run)
    {
        if (_storage is IVectoredPieceWrites vectored)
        {
            run.Clear();
            for (int i = start; i < start + count; i++)
            {
                run.Add(batch[i].Buffer.AsMemory(0, batch[i].Length));
            }

            bool written;
            try
            {
                written = vectored.TryWriteBlocking(batch[start].State.Piece, batch[start].Offset, run);
            }
            finally
            {
                run.Clear();
            }

            if (written)
            {
                return;
            }
        }

        for (int i = start; i < start + count; i++)
        {
            await _storage.WriteAsync(batch[i].State.Piece, batch[i].Offset, batch[i].Buffer.AsMemory(0, batch[i].Length)).ConfigureAwait(false);
        }
    }

    // Reports a piece's outcome and counts its blocks out of the work in flight.
    private void Finish(PieceWriteEvent? completion, int blocks)
    {
        if (completion is { } done)
        {
            _events.Writer.TryWrite(done);
        }

        lock (_lock)
        {
            _inFlight -= blocks;
            if (_inFlight == 0 && _idle is not null)
            {
                _idle.TrySetResult();
                _idle = null;
            }
        }
    }

    // Under the piece's gate: records the block, then hashes every contiguous byte now available.
    // Kept is true when the block's buffer stays with the piece (ahead of a gap) instead of being freed.
    private async Task<(PieceWriteEvent? Completion, bool Kept)> AdvanceAsync(PieceState state, int offset, byte[]? buffer, int length)
    {
        lock (_lock)
        {
            if (!_pieces.TryGetValue(state.Piece, out var current) || current != state)
            {
                return (null, false); // The piece was dropped (a storage error) while this block was in flight.
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
        bool consumed = false;
        try
        {
            while (true)
            {
                int position = state.Hasher.Position;
                int pending;
                (byte[] Buffer, int Length) ahead;
                lock (_lock)
                {
                    if (!state.Pending.Remove(position, out pending))
                    {
                        break;
                    }

                    if (state.Ahead.Remove(position, out ahead))
                    {
                        _aheadBytes -= ahead.Length;
                    }
                }

                if (position == offset && buffer is not null)
                {
                    state.Hasher.Append(buffer.AsSpan(0, length));
                    consumed = true;
                }
                else if (ahead.Buffer is not null)
                {
                    state.Hasher.Append(ahead.Buffer.AsSpan(0, ahead.Length));
                    Free(ahead.Buffer, ahead.Length);
                }
                else if (state.Hasher.TakesLeaves && state.TakeKnownLeaf(position) is { } leaf)
                {
                    // Proven by its BEP 52 block hash after the piece failed: its leaf stands for its bytes.
                    state.Hasher.AppendLeaf(leaf, pending);
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
            return (Drop(state, ex), false);
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
            return (null, !consumed && buffer is not null && KeepAhead(state, offset, buffer, length));
        }

        bool passed = state.Hasher.Verify();
        // A failed v2 piece keeps its leaves (allocated only on failure): which block is bad is decided against a peer's block hashes.
        byte[]? leaves = passed || state.Hasher.LeafHashes.IsEmpty ? null : state.Hasher.LeafHashes.ToArray();
        state.Hasher.Dispose();

        // Smart-ban evidence, only when it can be used: for a failed piece, and for a passed one whose
        // earlier failure left evidence. Read back before the piece is forgotten, while no block of a
        // next attempt can be written over these bytes (a digest of every block received cost 3 % of a
        // download's CPU, for pieces that almost never fail).
        bool wanted;
        lock (_lock)
        {
            wanted = !passed || _digestsWanted.Contains(state.Piece);
        }

        var digests = wanted ? await BlockDigest.OfStoredPieceAsync(_storage, state.Piece, state.Size).ConfigureAwait(false) : null;
        lock (_lock)
        {
            _pieces.Remove(state.Piece);
            if (passed)
            {
                _passed[state.Piece] = true;
                _digestsWanted.Remove(state.Piece);
            }
        }

        if (passed)
        {
            UpdateWanting();
        }

        // A failed piece is forgotten entirely: never marked, its blocks requested again from scratch.
        return (new PieceWriteEvent(state.Piece, passed ? PieceWriteOutcome.Passed : PieceWriteOutcome.HashFailed, BlockDigests: digests, LeafHashes: leaves), false);
    }

    private PieceWriteEvent? Drop(PieceState state, StorageException error)
    {
        List<(byte[] Buffer, int Length)>? kept = null;
        lock (_lock)
        {
            if (!_pieces.TryGetValue(state.Piece, out var current) || current != state)
            {
                return null; // Already dropped and reported once.
            }

            _pieces.Remove(state.Piece);
            kept = TakeAheadLocked(state, kept);
        }

        FreeAll(kept);

        return new PieceWriteEvent(state.Piece, PieceWriteOutcome.StorageFailed, error);
    }

    // A torrent with every piece leaves its share of the budget to the ones still downloading.
    private void UpdateWanting()
    {
        bool wanting;
        lock (_lock)
        {
            wanting = _passed.SetCount < _passed.Count;
        }

        _account.Wanting = wanting;
    }

    // A block not taken (a duplicate, or of a piece already passed): its reservation goes straight back.
    private void Discard(byte[] buffer, int length)
    {
        BlockPool.Shared.Return(buffer);
        _account.Release(length);
    }

    private void Free(byte[] buffer, int length)
    {
        BlockPool.Shared.Return(buffer);
        _account.Free(length);
    }

    // Under the piece's gate, for a block written ahead of a gap: keeps its buffer to hash from
    // memory later (saving a read-back) while the blocks kept stay under a quarter of the budget.
    private bool KeepAhead(PieceState state, int offset, byte[] buffer, int length)
    {
        lock (_lock)
        {
            if (_closed || _aheadBytes + length > MaxBufferedBytes / 4 || !_pieces.TryGetValue(state.Piece, out var current) || current != state)
            {
                return false;
            }

            state.Ahead[offset] = (buffer, length);
            _aheadBytes += length;
            return true;
        }
    }

    // Frees every block kept ahead of a gap; they are hashed from storage instead. True if any were.
    private bool SpillAhead()
    {
        List<(byte[] Buffer, int Length)>? kept = null;
        lock (_lock)
        {
            if (_aheadBytes == 0)
            {
                return false;
            }

            foreach (var state in _pieces.Values)
            {
                kept = TakeAheadLocked(state, kept);
            }
        }

        FreeAll(kept);
        return kept is not null;
    }

    // Moves a piece's kept blocks into a list made only when there are any: most calls (every refused reservation spills) find none.
    private List<(byte[] Buffer, int Length)>? TakeAheadLocked(PieceState state, List<(byte[] Buffer, int Length)>? into)
    {
        if (state.Ahead.Count == 0)
        {
            return into;
        }

        into ??= [];
        foreach (var block in state.Ahead.Values)
        {
            into.Add(block);
            _aheadBytes -= block.Length;
        }

        state.Ahead.Clear();
        return into;
    }

    private void FreeAll(List<(byte[] Buffer, int Length)>? kept)
    {
        if (kept is null)
        {
            return;
        }

        foreach (var (buffer, length) in kept)
        {
            Free(buffer, length);
        }
    }

    // A block received and not yet written (under the writer's lock until a worker takes it).
    private readonly record struct QueuedBlock(PieceState State, int Offset, byte[] Buffer, int Length);

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

        /// <summary>Buffers of pending blocks kept in memory to hash without reading back (under the writer's lock).</summary>
        public Dictionary<int, (byte[] Buffer, int Length)> Ahead { get; } = [];

        /// <summary>16 KiB blocks written to storage, for resume data (under the writer's lock).</summary>
        public Bitfield Written { get; } = new(BlockCount(size));

        /// <summary>Touched only under <see cref="Gate"/>.</summary>
        public PieceHasher? Hasher { get; set; }

        /// <summary>Leaves of restored blocks proven by BEP 52 block hashes, by offset (set under the writer's lock before hashing starts).</summary>
        public Dictionary<int, byte[]>? KnownLeaves { get; set; }

        public byte[]? TakeKnownLeaf(int position) => KnownLeaves is not null && KnownLeaves.Remove(position, out var leaf) ? leaf : null;
    }
}
