using GodotTorrent.Disk;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Storage;
using GodotTorrent.Tests.Core;

namespace GodotTorrent.Tests.Storage;

/// <summary>
/// The write path's coalescing: blocks queued by the time a worker starts are written as runs of
/// contiguous blocks of one piece, one vectored write each, and hashed as before. The runner holds
/// the work so the test decides what is queued when the worker wakes.
/// </summary>
public sealed class PieceWriterRunTests : IDisposable
{
    private const int Block = 16 * 1024;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gt-runs-" + Guid.NewGuid().ToString("N"));
    private readonly HeldRunner _runner = new();

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    // Piece 3 (196,608..262,144) holds the end of file 0, all of files 1 and 2 and the start of file 3.
    private static CheckTorrentBuilder Make() => CheckTorrentBuilder.Build(TorrentVersion.V1, 64 * 1024, 5, 200_000, 16_384, 3, 90_000);

    private PieceWriter Writer(IPieceStorage storage) => new(storage, new DiskService(() => 4L << 20, _runner));

    private static List<PieceWriteEvent> Events(PieceWriter writer)
    {
        var events = new List<PieceWriteEvent>();
        while (writer.Events.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public async Task Blocks_queued_together_go_out_as_one_write_per_piece_across_files_and_read_back_byte_exact()
    {
        var t = Make();
        await using var storage = new RunRecordingStorage(t.Torrent, _folder);
        var writer = Writer(storage);
        var blocks = PieceWriterTests.Blocks(t.Torrent);
        foreach (var (piece, offset, length) in blocks.OrderBy(_ => Random.Shared.Next()))
        {
            await PieceWriterTests.SubmitAsync(writer, t, piece, offset, length);
        }

        Assert.Equal(1, _runner.Held);
        _runner.RunHeld();

        var events = Events(writer);
        Assert.Equal(Enumerable.Range(0, t.Torrent.PieceCount), events.Select(e => e.Piece).Order());
        Assert.All(events, e => Assert.Equal(PieceWriteOutcome.Passed, e.Outcome));
        var expected = Enumerable.Range(0, t.Torrent.PieceCount).Select(p => (p, 0, blocks.Count(b => b.Piece == p)));
        Assert.Equal(expected, storage.Runs);
        Assert.Equal(0, storage.SingleWrites);
        Assert.Equal(0, storage.Reads);
        await writer.WhenIdleAsync();
        Assert.Equal(0, writer.BufferedBytes);

        for (int i = 0; i < t.Contents.Length; i++)
        {
            Assert.Equal(t.Contents[i], await File.ReadAllBytesAsync(Path.Combine(_folder, storage.GetFilePath(i))));
        }

        int size = t.Torrent.GetPieceSize(3);
        var back = new byte[size];
        await storage.ReadAsync(3, 0, back);
        Assert.Equal(t.Space.AsSpan(3 * t.Torrent.PieceLength, size).ToArray(), back);
    }

    [Fact]
    public async Task A_gap_splits_the_run_and_the_blocks_after_it_are_hashed_from_memory_when_it_fills()
    {
        var t = Make();
        await using var storage = new RunRecordingStorage(t.Torrent, _folder);
        var writer = Writer(storage);
        foreach (int block in new[] { 3, 0, 2 })
        {
            await PieceWriterTests.SubmitAsync(writer, t, 0, block * Block, Block);
        }

        _runner.RunHeld();
        Assert.Equal(new[] { (0, 0, 1), (0, 2 * Block, 2) }, storage.Runs);
        Assert.Empty(Events(writer));
        Assert.Equal(2 * Block, writer.BufferedBytes);

        await PieceWriterTests.SubmitAsync(writer, t, 0, Block, Block);
        _runner.RunHeld();

        Assert.Equal((0, Block, 1), storage.Runs[^1]);
        var events = Events(writer);
        Assert.Equal(PieceWriteOutcome.Passed, Assert.Single(events).Outcome);
        Assert.Equal(0, storage.Reads);
        Assert.Equal(0, writer.BufferedBytes);
    }

    [Fact]
    public async Task A_failed_run_fails_its_piece_once_frees_its_blocks_and_the_piece_can_come_again()
    {
        var t = Make();
        await using var storage = new RunRecordingStorage(t.Torrent, _folder);
        var writer = Writer(storage);
        storage.FailPieces.Add(1);
        foreach (var (piece, offset, length) in PieceWriterTests.Blocks(t.Torrent).Where(b => b.Piece < 3))
        {
            await PieceWriterTests.SubmitAsync(writer, t, piece, offset, length);
        }

        _runner.RunHeld();

        var events = Events(writer).ToDictionary(e => e.Piece);
        Assert.Equal(3, events.Count);
        Assert.Equal(PieceWriteOutcome.StorageFailed, events[1].Outcome);
        Assert.Equal(ErrorCode.DiskFull, events[1].Error!.ErrorCode);
        Assert.Equal(PieceWriteOutcome.Passed, events[0].Outcome);
        Assert.Equal(PieceWriteOutcome.Passed, events[2].Outcome);
        Assert.Single(storage.Runs, r => r.Piece == 1);
        await writer.WhenIdleAsync();
        Assert.Equal(0, writer.BufferedBytes);

        storage.FailPieces.Clear();
        foreach (var (piece, offset, length) in PieceWriterTests.Blocks(t.Torrent).Where(b => b.Piece == 1))
        {
            await PieceWriterTests.SubmitAsync(writer, t, piece, offset, length);
        }

        _runner.RunHeld();
        Assert.Equal(PieceWriteOutcome.Passed, Assert.Single(Events(writer)).Outcome);
        Assert.Equal((1, 0, 4), storage.Runs[^1]);
    }

    [Fact]
    public async Task The_session_counting_wrapper_passes_runs_and_blocking_reads_through_and_counts_their_bytes()
    {
        var t = Make();
        var counters = new SessionCounters();
        await using var counted = new CountingStorage(new FileStorage(t.Torrent, _folder), counters);
        var blocks = new ReadOnlyMemory<byte>[] { t.Space.AsMemory(3 * t.Torrent.PieceLength, Block), t.Space.AsMemory((3 * t.Torrent.PieceLength) + Block, Block) };

        Assert.True(((IVectoredPieceWrites)counted).TryWriteBlocking(3, 0, blocks));
        Assert.Equal(2 * Block, counters.DiskBytesWritten);
        var back = new byte[2 * Block];
        await counted.ReadAsync(3, 0, back);
        Assert.Equal(t.Space.AsSpan(3 * t.Torrent.PieceLength, 2 * Block).ToArray(), back);

        // Blocking reads (a check's workers) pass through too, counted.
        var again = new byte[2 * Block];
        Assert.True(((IBlockingPieceReads)counted).TryReadBlocking(3, 0, again));
        Assert.Equal(back, again);
        Assert.Equal(4 * Block, counters.DiskBytesRead);

        // A storage without vectored writes is written block by block instead: nothing done, nothing counted.
        await using var memory = new CountingStorage(new MemoryStorage(t.Torrent), counters);
        Assert.False(((IVectoredPieceWrites)memory).TryWriteBlocking(3, 0, blocks));
        Assert.False(((IBlockingPieceReads)memory).TryReadBlocking(3, 0, again));
        Assert.Equal(2 * Block, counters.DiskBytesWritten);
        Assert.Equal(4 * Block, counters.DiskBytesRead);
    }

    [Fact]
    public async Task A_second_worker_joins_only_when_a_mebibyte_waits_and_every_piece_still_passes_once()
    {
        var t = CheckTorrentBuilder.Build(TorrentVersion.V1, 64 * 1024, 9, 1_200_000);
        await using var storage = new RunRecordingStorage(t.Torrent, _folder);
        var writer = Writer(storage);
        var blocks = PieceWriterTests.Blocks(t.Torrent);
        Assert.True(blocks.Count > 64);
        for (int i = 0; i < blocks.Count; i++)
        {
            await PieceWriterTests.SubmitAsync(writer, t, blocks[i].Piece, blocks[i].Offset, blocks[i].Length);
            Assert.Equal(i < 63 ? 1 : 2, _runner.Held);
        }

        _runner.RunHeld();

        var events = Events(writer);
        Assert.Equal(Enumerable.Range(0, t.Torrent.PieceCount), events.Select(e => e.Piece).Order());
        Assert.All(events, e => Assert.Equal(PieceWriteOutcome.Passed, e.Outcome));
        Assert.Equal(t.Torrent.PieceCount, storage.Runs.Count);
        await writer.WhenIdleAsync();
        Assert.Equal(0, writer.BufferedBytes);
        Assert.Equal(t.Contents[0], await File.ReadAllBytesAsync(Path.Combine(_folder, storage.GetFilePath(0))));
    }
}
