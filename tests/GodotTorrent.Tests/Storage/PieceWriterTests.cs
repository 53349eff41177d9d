using System.Buffers;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

public class PieceWriterTests
{
    private const int Block = 16 * 1024;

    public static TheoryData<TorrentVersion> Versions => new() { TorrentVersion.V1, TorrentVersion.V2, TorrentVersion.Hybrid };

    private static CheckTorrentBuilder Make(TorrentVersion version) =>
        CheckTorrentBuilder.Build(version, 64 * 1024, 5, 200_000, 16_384, 3, 90_000);

    internal static List<(int Piece, int Offset, int Length)> Blocks(TorrentInfo torrent)
    {
        var blocks = new List<(int, int, int)>();
        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            int size = torrent.GetPieceSize(piece);
            for (int offset = 0; offset < size; offset += Block)
            {
                blocks.Add((piece, offset, Math.Min(Block, size - offset)));
            }
        }

        return blocks;
    }

    internal static async Task SubmitAsync(PieceWriter writer, CheckTorrentBuilder t, int piece, int offset, int length, Action<byte[]>? tamper = null)
    {
        await writer.ReserveAsync(length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        t.Space.AsSpan(piece * t.Torrent.PieceLength + offset, length).CopyTo(buffer);
        tamper?.Invoke(buffer);
        writer.Submit(piece, offset, buffer, length);
    }

    private static async Task<Dictionary<int, PieceWriteEvent>> DrainAsync(PieceWriter writer, int count)
    {
        var events = new Dictionary<int, PieceWriteEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (events.Count < count)
        {
            var e = await writer.Events.ReadAsync(timeout.Token);
            Assert.True(events.TryAdd(e.Piece, e), $"two events for piece {e.Piece}");
        }

        return events;
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Blocks_in_random_order_pass_every_piece(TorrentVersion version)
    {
        var t = Make(version);
        await using var storage = new MemoryStorage(t.Torrent);
        var writer = new PieceWriter(storage, 256 * 1024);
        var blocks = Blocks(t.Torrent).OrderBy(_ => Random.Shared.Next()).ToList();
        foreach (var (piece, offset, length) in blocks)
        {
            await SubmitAsync(writer, t, piece, offset, length);
        }

        var events = await DrainAsync(writer, t.Torrent.PieceCount);
        Assert.All(events.Values, e => Assert.Equal(PieceWriteOutcome.Passed, e.Outcome));
        await writer.WhenIdleAsync();
        Assert.Equal(0, writer.BufferedBytes);
        var check = await new TorrentChecker(storage).CheckAsync();
        Assert.True(check.IsComplete);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_corrupt_block_fails_its_piece_only_and_a_good_retry_passes(TorrentVersion version)
    {
        var t = Make(version);
        await using var storage = new MemoryStorage(t.Torrent);
        var writer = new PieceWriter(storage, 1024 * 1024);
        const int badPiece = 1;
        foreach (var (piece, offset, length) in Blocks(t.Torrent).AsEnumerable().Reverse())
        {
            await SubmitAsync(writer, t, piece, offset, length, piece == badPiece && offset == Block ? b => b[100] ^= 1 : null);
        }

        var events = await DrainAsync(writer, t.Torrent.PieceCount);
        Assert.Equal(PieceWriteOutcome.HashFailed, events[badPiece].Outcome);
        Assert.All(events.Values.Where(e => e.Piece != badPiece), e => Assert.Equal(PieceWriteOutcome.Passed, e.Outcome));

        // Failed means forgotten: the same blocks can be received again, and then it passes (with its
        // digests, as smart ban asks for them).
        writer.WantBlockDigests(badPiece);
        foreach (var (piece, offset, length) in Blocks(t.Torrent).Where(b => b.Piece == badPiece))
        {
            await SubmitAsync(writer, t, piece, offset, length);
        }

        var retry = await DrainAsync(writer, 1);
        Assert.Equal(PieceWriteOutcome.Passed, retry[badPiece].Outcome);

        // Smart-ban evidence: a digest per block, equal where the bytes were, different only for the tampered block.
        var failed = events[badPiece].BlockDigests!;
        var passed = retry[badPiece].BlockDigests!;
        Assert.Equal(t.Torrent.GetPieceSize(badPiece) / Block, failed.Length);
        Assert.Equal(Enumerable.Range(0, failed.Length).Select(i => i != 1), failed.Zip(passed, (a, b) => a == b));

        // Pieces that passed the first time carry none: nobody asked.
        Assert.All(events.Values.Where(e => e.Piece != badPiece), e => Assert.Null(e.BlockDigests));
    }

    [Fact]
    public async Task Memory_never_exceeds_the_budget_with_a_slow_disk_and_backpressure_shows()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = new SlowStorage(t.Torrent, TimeSpan.FromMilliseconds(20));
        const int budget = 3 * Block;
        var writer = new PieceWriter(storage, budget);
        bool sawOverBudget = false, sawRefusal = false;
        // Worst order for a hash cursor: every piece's blocks last to first.
        var blocks = Blocks(t.Torrent).OrderBy(b => b.Piece).ThenByDescending(b => b.Offset).ToList();
        foreach (var (piece, offset, length) in blocks)
        {
            if (writer.IsOverBudget)
            {
                sawOverBudget = true;
            }

            if (!writer.TryReserve(length))
            {
                sawRefusal = true;
                await writer.ReserveAsync(length);
            }

            Assert.True(writer.BufferedBytes <= budget);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            t.Space.AsSpan(piece * t.Torrent.PieceLength + offset, length).CopyTo(buffer);
            writer.Submit(piece, offset, buffer, length);
        }

        var events = await DrainAsync(writer, t.Torrent.PieceCount);
        Assert.All(events.Values, e => Assert.Equal(PieceWriteOutcome.Passed, e.Outcome));
        Assert.True(sawOverBudget);
        Assert.True(sawRefusal);
        Assert.True(writer.PeakBufferedBytes <= budget, $"peak {writer.PeakBufferedBytes}");
        Assert.True(storage.MaxWritesInFlight <= 3);
    }

    [Fact]
    public async Task Blocks_ahead_of_a_gap_are_hashed_from_memory_without_reading_back()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = new SlowStorage(t.Torrent, TimeSpan.Zero);
        var writer = new PieceWriter(storage, 1024 * 1024);
        int size = t.Torrent.GetPieceSize(0);
        for (int offset = size - Block; offset > 0; offset -= Block)
        {
            await SubmitAsync(writer, t, 0, offset, Block);
        }

        await writer.WhenIdleAsync();
        Assert.Equal(3 * Block, writer.BufferedBytes);
        await SubmitAsync(writer, t, 0, 0, Block);

        var events = await DrainAsync(writer, 1);
        Assert.Equal(PieceWriteOutcome.Passed, events[0].Outcome);
        await writer.WhenIdleAsync();
        Assert.Equal(0, storage.Reads);
        Assert.Equal(0, writer.BufferedBytes);
    }

    [Fact]
    public async Task Blocks_kept_ahead_of_a_gap_give_way_when_the_budget_is_full()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = new SlowStorage(t.Torrent, TimeSpan.Zero);
        const int budget = 8 * Block;
        var writer = new PieceWriter(storage, budget);
        await SubmitAsync(writer, t, 0, 2 * Block, Block);
        await SubmitAsync(writer, t, 0, Block, Block);
        await writer.WhenIdleAsync();
        Assert.Equal(2 * Block, writer.BufferedBytes);

        // Requests in flight for other pieces take the rest: the gap's block must still get room.
        for (int i = 0; i < 6; i++)
        {
            Assert.True(writer.TryReserve(Block));
        }

        Assert.True(writer.TryReserve(Block));
        var buffer = ArrayPool<byte>.Shared.Rent(Block);
        t.Space.AsSpan(0, Block).CopyTo(buffer);
        writer.Submit(0, 0, buffer, Block);
        await SubmitAsync(writer, t, 0, 3 * Block, Math.Min(Block, t.Torrent.GetPieceSize(0) - (3 * Block)));

        var events = await DrainAsync(writer, 1);
        Assert.Equal(PieceWriteOutcome.Passed, events[0].Outcome);
        Assert.Equal(2, storage.Reads);
        await writer.WhenIdleAsync();
        Assert.Equal(6 * Block, writer.BufferedBytes);
    }

    [Fact]
    public async Task ReserveAsync_waits_in_order_and_can_be_cancelled()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = new MemoryStorage(t.Torrent);
        var writer = new PieceWriter(storage, 2 * Block);
        Assert.True(writer.TryReserve(2 * Block));
        Assert.Equal(0, writer.AvailableBytes);
        Assert.True(writer.IsOverBudget);

        using var cts = new CancellationTokenSource();
        var cancelled = writer.ReserveAsync(Block, cts.Token).AsTask();
        var waiting = writer.ReserveAsync(Block).AsTask();
        Assert.False(writer.TryReserve(1)); // Waiters are served first.
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        writer.Release(Block);
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2 * Block, writer.BufferedBytes);
        writer.Release(2 * Block);
        Assert.Equal(0, writer.BufferedBytes);
    }

    [Fact]
    public async Task A_storage_error_is_an_event_not_an_exception()
    {
        var t = Make(TorrentVersion.V2);
        // The last block of piece 0 fails: were it the first, the piece's later blocks could arrive after
        // the drop and wait (rightly) for a first block this test never sends again.
        int lastBlock = t.Torrent.PieceLength - Block;
        await using var storage = new SlowStorage(t.Torrent, TimeSpan.Zero) { FailWrite = (piece, offset) => piece == 0 && offset == lastBlock };
        var writer = new PieceWriter(storage, 1024 * 1024);
        foreach (var (piece, offset, length) in Blocks(t.Torrent))
        {
            await SubmitAsync(writer, t, piece, offset, length);
        }

        var events = await DrainAsync(writer, t.Torrent.PieceCount);
        Assert.Equal(PieceWriteOutcome.StorageFailed, events[0].Outcome);
        Assert.Equal(ErrorCode.DiskFull, events[0].Error!.ErrorCode);
        Assert.All(events.Values.Where(e => e.Piece != 0), e => Assert.Equal(PieceWriteOutcome.Passed, e.Outcome));
        await writer.WhenIdleAsync();
        Assert.Equal(0, writer.BufferedBytes);
    }

    [Fact]
    public async Task Duplicates_and_blocks_of_passed_pieces_are_dropped()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = new MemoryStorage(t.Torrent);
        var writer = new PieceWriter(storage, 1024 * 1024);
        await SubmitAsync(writer, t, 0, Block, Block);
        await SubmitAsync(writer, t, 0, Block, Block, b => b[0] ^= 1); // same block, other bytes: ignored
        foreach (var (piece, offset, length) in Blocks(t.Torrent).Where(b => b.Piece == 0 && b.Offset != Block))
        {
            await SubmitAsync(writer, t, piece, offset, length);
        }

        Assert.Equal(PieceWriteOutcome.Passed, (await DrainAsync(writer, 1))[0].Outcome);
        await SubmitAsync(writer, t, 0, 0, Block, b => b[0] ^= 1);
        await writer.WhenIdleAsync();
        Assert.Equal(0, writer.BufferedBytes);
        Assert.False(writer.Events.TryRead(out _));
        Assert.True((await new TorrentChecker(storage).CheckPiecesAsync(Single(t.Torrent.PieceCount, 0))).Pieces[0]);
    }

    [Fact]
    public async Task Partial_pieces_survive_a_restart_and_only_missing_blocks_are_fetched()
    {
        var t = Make(TorrentVersion.Hybrid);
        await using var storage = new MemoryStorage(t.Torrent);
        var first = new PieceWriter(storage, 1024 * 1024);
        var all = Blocks(t.Torrent);
        // Before the "crash": all of piece 0, and blocks 1 and 3 of piece 1.
        var before = all.Where(b => b.Piece == 0 || (b.Piece == 1 && b.Offset / Block is 1 or 3)).ToList();
        foreach (var (piece, offset, length) in before)
        {
            await SubmitAsync(first, t, piece, offset, length);
        }

        await first.WhenIdleAsync();
        Assert.Equal(PieceWriteOutcome.Passed, (await DrainAsync(first, 1))[0].Outcome);
        var partial = first.GetPartialPieces();
        Assert.Equal([1], partial.Keys);
        Assert.Equal("0101", partial[1].ToString());

        var second = new PieceWriter(storage, 1024 * 1024);
        second.MarkPassed(0);
        var restored = second.RestorePartialPiece(1, partial[1]);
        Assert.Equal([Block, 3 * Block], restored.Order());
        var fetched = all.Where(b => b.Piece != 0 && !(b.Piece == 1 && restored.Contains(b.Offset))).ToList();
        Assert.Equal(all.Count - before.Count, fetched.Count);
        foreach (var (piece, offset, length) in fetched)
        {
            await SubmitAsync(second, t, piece, offset, length);
        }

        var events = await DrainAsync(second, t.Torrent.PieceCount - 1);
        Assert.All(events.Values, e => Assert.Equal(PieceWriteOutcome.Passed, e.Outcome));
    }

    [Fact]
    public async Task Restoring_every_block_of_a_piece_hashes_it_from_storage()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = await t.FillAsync();
        var writer = new PieceWriter(storage, Block);
        var blocks = new Bitfield(t.Torrent.GetPieceSize(0) / Block, true);
        writer.RestorePartialPiece(0, blocks);
        Assert.Equal(PieceWriteOutcome.Passed, (await DrainAsync(writer, 1))[0].Outcome);
    }

    private static Bitfield Single(int count, int index)
    {
        var field = new Bitfield(count);
        field[index] = true;
        return field;
    }
}
