using System.Buffers;
using GodotTorrent.Disk;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;
using GodotTorrent.Tests.Storage;

namespace GodotTorrent.Tests.Disk;

public class DiskServiceTests
{
    private const int Block = 16 * 1024;

    private static CheckTorrentBuilder Make(int seed) =>
        CheckTorrentBuilder.Build(TorrentVersion.V1, 64 * 1024, seed, 200_000, 16_384, 3, 90_000);

    private static List<(int Piece, int Offset, int Length)> Blocks(TorrentInfo torrent)
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

    private static void Submit(PieceWriter writer, CheckTorrentBuilder t, int piece, int offset, int length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        t.Space.AsSpan(piece * t.Torrent.PieceLength + offset, length).CopyTo(buffer);
        writer.Submit(piece, offset, buffer, length);
    }

    // Reserves (waiting when the share is full) and submits every block, checking the shared total after each reservation.
    private static async Task FeedAsync(DiskService disk, PieceWriter writer, CheckTorrentBuilder t, long budget)
    {
        foreach (var (piece, offset, length) in Blocks(t.Torrent).OrderByDescending(b => b.Offset))
        {
            if (!writer.TryReserve(length))
            {
                await writer.ReserveAsync(length);
            }

            Assert.True(disk.BufferedBytes <= budget, $"{disk.BufferedBytes} buffered over a budget of {budget}");
            Submit(writer, t, piece, offset, length);
        }
    }

    private static async Task<Dictionary<int, PieceWriteEvent>> DrainAsync(PieceWriter writer, int count)
    {
        var events = new Dictionary<int, PieceWriteEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (events.Count < count)
        {
            var e = await writer.Events.ReadAsync(timeout.Token);
            Assert.True(events.TryAdd(e.Piece, e), $"two events for piece {e.Piece}");
        }

        return events;
    }

    [Fact]
    public async Task Two_torrents_share_one_budget_and_never_exceed_it()
    {
        var a = Make(5);
        var b = Make(9);
        await using var storageA = new SlowStorage(a.Torrent, TimeSpan.FromMilliseconds(5));
        await using var storageB = new SlowStorage(b.Torrent, TimeSpan.FromMilliseconds(5));
        const long budget = 4 * Block;
        var disk = new DiskService(() => budget);
        var writerA = new PieceWriter(storageA, disk);
        var writerB = new PieceWriter(storageB, disk);
        Assert.Equal(budget, disk.ShareOf(writerA.Account)); // Alone in asking, A may use all of it.
        Assert.True(writerB.TryReserve(Block));
        Assert.Equal(2 * Block, disk.ShareOf(writerA.Account));
        writerB.Release(Block);

        await Task.WhenAll(Task.Run(() => FeedAsync(disk, writerA, a, budget)), Task.Run(() => FeedAsync(disk, writerB, b, budget)));
        var eventsA = await DrainAsync(writerA, a.Torrent.PieceCount);
        var eventsB = await DrainAsync(writerB, b.Torrent.PieceCount);

        Assert.All(eventsA.Values.Concat(eventsB.Values), e => Assert.Equal(PieceWriteOutcome.Passed, e.Outcome));
        Assert.True(disk.PeakBufferedBytes <= budget, $"peak {disk.PeakBufferedBytes}");
        Assert.True(writerA.PeakBufferedBytes > 0 && writerB.PeakBufferedBytes > 0);
        Assert.Equal(0, disk.BufferedBytes);
        Assert.Equal(a.Space.AsSpan(0, (int)a.Torrent.TotalSize).ToArray(), await ReadAllAsync(storageA.Inner));
    }

    [Fact]
    public async Task A_stalled_disk_holds_only_its_share_and_the_other_torrent_completes()
    {
        var a = Make(5);
        var b = Make(9);
        var stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var storageA = new SlowStorage(a.Torrent, TimeSpan.Zero) { WriteGate = stall.Task };
        await using var storageB = new SlowStorage(b.Torrent, TimeSpan.Zero);
        const long budget = 4 * Block;
        var disk = new DiskService(() => budget);
        var writerA = new PieceWriter(storageA, disk);
        var writerB = new PieceWriter(storageB, disk);
        Assert.True(writerB.TryReserve(Block)); // B is downloading too.

        // A takes all it can; none of its writes can finish.
        var blocksA = Blocks(a.Torrent);
        int submitted = 0;
        while (writerA.TryReserve(blocksA[submitted].Length))
        {
            var (piece, offset, length) = blocksA[submitted++];
            Submit(writerA, a, piece, offset, length);
        }

        Assert.Equal(2 * Block, writerA.BufferedBytes);
        Assert.True(writerB.TryReserve(Block), "the stalled torrent left no room for the other");
        writerB.Release(2 * Block);

        await FeedAsync(disk, writerB, b, budget);
        var eventsB = await DrainAsync(writerB, b.Torrent.PieceCount);
        Assert.All(eventsB.Values, e => Assert.Equal(PieceWriteOutcome.Passed, e.Outcome));
        Assert.Equal(2 * Block, writerA.BufferedBytes);

        // Once B is done it no longer splits the budget: A may use the whole of it.
        Assert.Equal(budget, disk.ShareOf(writerA.Account));
        stall.SetResult();
        for (; submitted < blocksA.Count; submitted++)
        {
            var (piece, offset, length) = blocksA[submitted];
            await writerA.ReserveAsync(length);
            Submit(writerA, a, piece, offset, length);
        }

        var eventsA = await DrainAsync(writerA, a.Torrent.PieceCount);
        Assert.All(eventsA.Values, e => Assert.Equal(PieceWriteOutcome.Passed, e.Outcome));
        Assert.Equal(0, disk.BufferedBytes);
    }

    [Fact]
    public async Task A_torrent_that_starts_asking_gets_the_bytes_the_first_one_frees()
    {
        var a = Make(5);
        await using var storage = new MemoryStorage(a.Torrent);
        const long budget = 4 * Block;
        var disk = new DiskService(() => budget);
        var first = new PieceWriter(storage, disk);
        var late = new PieceWriter(storage, disk);
        Assert.True(first.TryReserve((int)budget));

        Assert.False(late.TryReserve(Block));
        Assert.Equal(2 * Block, disk.ShareOf(first.Account)); // Refused, the late one now splits the budget.
        first.Release(Block);
        Assert.False(first.TryReserve(Block), "the first torrent took back the bytes it freed, over its new share");
        Assert.True(late.TryReserve(Block));
        Assert.Equal(budget, disk.BufferedBytes);
    }

    [Fact]
    public async Task Closing_a_dropped_writer_returns_its_unused_reservations_to_the_others()
    {
        var a = Make(5);
        await using var storage = new MemoryStorage(a.Torrent);
        const long budget = 4 * Block;
        var disk = new DiskService(() => budget);
        var dropped = new PieceWriter(storage, disk);
        var other = new PieceWriter(storage, disk);
        Assert.True(dropped.TryReserve(2 * Block));
        Assert.Equal(2 * Block, disk.BufferedBytes);

        dropped.Close();

        Assert.Equal(0, disk.BufferedBytes);
        Assert.Equal(1, disk.AccountCount);
        Assert.True(other.TryReserve((int)budget), "the only writer left gets the whole budget");

        // A late release for the dropped writer's block must not eat into the other's bytes.
        dropped.Release(2 * Block);
        Assert.Equal(budget, disk.BufferedBytes);
    }

    [Fact]
    public async Task A_fence_drains_its_torrent_and_holds_its_reads_while_another_torrent_keeps_writing()
    {
        var a = Make(5);
        var b = Make(9);
        var stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var storageA = new SlowStorage(a.Torrent, TimeSpan.Zero) { WriteGate = stall.Task };
        await using var storageB = new SlowStorage(b.Torrent, TimeSpan.Zero);
        var disk = new DiskService(() => 8 * Block);
        var writerA = new PieceWriter(storageA, disk);
        var writerB = new PieceWriter(storageB, disk);
        var fence = new DiskFence();
        Assert.True(writerA.TryReserve(Block));
        Submit(writerA, a, 0, 0, Block);

        bool held = false, lifted = false, writesDoneWhenRun = false;
        var operation = fence.RunAsync(
            hold: () => held = true,
            drainWrites: writerA.WhenIdleAsync,
            operation: () =>
            {
                writesDoneWhenRun = writerA.WhenIdleAsync().IsCompleted && writerA.BufferedBytes == 0;
                return Task.CompletedTask;
            },
            lift: () => lifted = true);
        Assert.True(held);
        Assert.True(fence.IsHeld);
        var read = fence.ReadAsync(storageA, 0, 0, new byte[Block]);
        Assert.False(read.IsCompleted);

        // The other torrent is not fenced: its writes go through while A's fence waits.
        await FeedAsync(disk, writerB, b, 8 * Block);
        var eventsB = await DrainAsync(writerB, b.Torrent.PieceCount);
        Assert.All(eventsB.Values, e => Assert.Equal(PieceWriteOutcome.Passed, e.Outcome));
        Assert.False(operation.IsCompleted);
        Assert.False(lifted);

        stall.SetResult();
        await operation.WaitAsync(TimeSpan.FromSeconds(30));
        await read.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(writesDoneWhenRun, "the operation ran before A's queued write was done");
        Assert.True(lifted);
        Assert.False(fence.IsHeld);
        Assert.Equal(0, fence.ReadsInFlight);
    }

    private static async Task<byte[]> ReadAllAsync(MemoryStorage storage)
    {
        var torrent = storage.Torrent;
        var all = new byte[torrent.TotalSize];
        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            await storage.ReadAsync(piece, 0, all.AsMemory(piece * torrent.PieceLength, torrent.GetPieceSize(piece)));
        }

        return all;
    }
}
