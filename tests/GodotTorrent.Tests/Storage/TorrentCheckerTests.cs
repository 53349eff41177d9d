using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

public class TorrentCheckerTests
{
    public static TheoryData<TorrentVersion> Versions => new() { TorrentVersion.V1, TorrentVersion.V2, TorrentVersion.Hybrid };

    private static CheckTorrentBuilder Make(TorrentVersion version) =>
        CheckTorrentBuilder.Build(version, 16 * 1024, 11, 100_000, 40_000, 16_384, 5, 70_001);

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Complete_data_has_every_piece(TorrentVersion version)
    {
        var t = Make(version);
        await using var storage = await t.FillAsync();
        var result = await new TorrentChecker(storage, 2).CheckAsync();
        Assert.True(result.IsComplete);
        Assert.Equal(t.Torrent.PieceCount, result.ValidPieces);
        Assert.All(result.Files, f => Assert.True(f.IsComplete));
        Assert.True(result.AreWantedPiecesValid());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Corrupt_and_missing_pieces_are_clear_and_nothing_throws(TorrentVersion version)
    {
        var t = Make(version);
        int last = t.Torrent.PieceCount - 1;
        await using var storage = await t.FillAsync(skip: [last]);
        var bad = t.PieceData(1);
        bad[10] ^= 0xFF;
        await storage.WriteAsync(1, 0, bad);

        var result = await new TorrentChecker(storage).CheckAsync();

        // The last piece was never written (memory storage reads zeros there), so it is simply not valid.
        var expected = Enumerable.Range(0, t.Torrent.PieceCount).Select(p => p != 1 && p != last ? '1' : '0');
        Assert.Equal(string.Concat(expected), result.Pieces.ToString());
        var firstFile = result.Files[0];
        Assert.False(firstFile.IsComplete);
        Assert.Equal(100_000 - 16_384, firstFile.ValidBytes);
        Assert.False(result.AreWantedPiecesValid());
        var priorities = t.Torrent.Files.Select(f => f.Index == 0 || f.Index == t.Torrent.Files.Count - 1 ? Priority.Skip : Priority.Normal).ToArray();
        Assert.True(result.AreWantedPiecesValid(priorities));
    }

    [Fact]
    public async Task Empty_storage_has_no_pieces()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = new MemoryStorage(t.Torrent);
        var result = await new TorrentChecker(storage).CheckAsync();
        Assert.True(result.Pieces.NoneSet);
        Assert.Equal(t.Torrent.PieceCount, result.PiecesChecked);
    }

    [Fact]
    public async Task Progress_is_monotonic_and_ends_at_the_total()
    {
        var t = Make(TorrentVersion.Hybrid);
        await using var storage = await t.FillAsync(skip: [2]);
        var reports = new List<CheckProgress>();
        var progress = new SyncProgress<CheckProgress>(p =>
        {
            lock (reports)
            {
                reports.Add(p);
            }
        });

        await new TorrentChecker(storage, 4).CheckAsync(progress);

        Assert.Equal(t.Torrent.PieceCount, reports.Count);
        for (int i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i].PiecesChecked > reports[i - 1].PiecesChecked);
            Assert.True(reports[i].BytesChecked > reports[i - 1].BytesChecked);
            Assert.True(reports[i].ValidPieces >= reports[i - 1].ValidPieces);
        }

        var final = reports[^1];
        Assert.Equal(t.Torrent.PieceCount, final.PiecesChecked);
        Assert.Equal(t.Torrent.PieceCount - 1, final.ValidPieces);
        Assert.Equal(final.BytesToCheck, final.BytesChecked);
        Assert.Equal(1.0, final.Fraction);
    }

    [Fact]
    public async Task Pause_holds_the_check_and_resume_finishes_it()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = await t.FillAsync();
        int reported = 0;
        var checker = new TorrentChecker(storage, 2);
        checker.Pause();
        Assert.True(checker.IsPaused);

        var check = checker.CheckAsync(new SyncProgress<CheckProgress>(_ => Interlocked.Increment(ref reported)));
        await Task.Delay(200);
        Assert.False(check.IsCompleted);
        Assert.Equal(0, Volatile.Read(ref reported));

        checker.Resume();
        var result = await check.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(result.IsComplete);
    }

    [Fact]
    public async Task Pause_midway_stops_progress()
    {
        var t = Make(TorrentVersion.V2);
        await using var storage = await t.FillAsync();
        var checker = new TorrentChecker(storage, 1);
        int reported = 0;
        var progress = new SyncProgress<CheckProgress>(p =>
        {
            if (Interlocked.Increment(ref reported) == 2)
            {
                checker.Pause();
            }
        });

        var check = checker.CheckAsync(progress);
        await Task.Delay(200);
        Assert.False(check.IsCompleted);
        // The pieces being hashed when the pause came finish: one, or a batch of sixteen where the CPU has the lanes.
        int paused = Volatile.Read(ref reported);
        Assert.InRange(paused, 2, PieceBatchVerifier.CanVerify(t.Torrent) ? PieceBatchVerifier.Count : 2);
        Assert.True(paused < t.Torrent.PieceCount);
        checker.Resume();
        Assert.True((await check.WaitAsync(TimeSpan.FromSeconds(10))).IsComplete);
        Assert.Equal(t.Torrent.PieceCount, reported);
    }

    [Fact]
    public async Task Cancel_while_paused_throws_OperationCanceled()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = await t.FillAsync();
        var checker = new TorrentChecker(storage);
        checker.Pause();
        using var cts = new CancellationTokenSource();
        var check = checker.CheckAsync(cancellationToken: cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Checking_a_subset_leaves_the_rest_clear()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = await t.FillAsync();
        var subset = new Bitfield(t.Torrent.PieceCount);
        subset[0] = true;
        subset[3] = true;
        var result = await new TorrentChecker(storage).CheckPiecesAsync(subset);
        Assert.Equal(subset, result.Pieces);
        Assert.Equal(2, result.PiecesChecked);
    }

    [Fact]
    public async Task FileStorage_checks_a_piece_whose_skipped_bytes_are_in_the_part_file()
    {
        // File 0 (100,000 bytes) is skipped: the piece it shares with file 1 keeps its bytes in the
        // part file, which only the async read path serves; every other piece is read on the worker.
        var t = Make(TorrentVersion.V1);
        var root = Path.Combine(Path.GetTempPath(), "gt-check-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var storage = new FileStorage(t.Torrent, root);
            var priorities = Enumerable.Repeat(Priority.Normal, t.Torrent.Files.Count).ToArray();
            priorities[0] = Priority.Skip;
            await storage.SetFilePrioritiesAsync(priorities);
            for (int piece = 0; piece < t.Torrent.PieceCount; piece++)
            {
                await storage.WriteAsync(piece, 0, t.PieceData(piece));
            }

            var result = await new TorrentChecker(storage).CheckAsync();

            int shared = (int)(100_000 / t.Torrent.PieceLength);
            Assert.Equal(new[] { 0, 1 }, t.Layout.FilesOfPiece(shared).ToArray());
            Assert.True(result.Pieces[shared], "the piece straddling the skipped file");
            for (int piece = shared + 1; piece < t.Torrent.PieceCount; piece++)
            {
                Assert.True(result.Pieces[piece], $"piece {piece}");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task FileStorage_with_a_missing_and_a_truncated_file_reports_them_as_invalid()
    {
        var t = Make(TorrentVersion.V1);
        var root = Path.Combine(Path.GetTempPath(), "gt-check-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var writer = new FileStorage(t.Torrent, root))
            {
                for (int piece = 0; piece < t.Torrent.PieceCount; piece++)
                {
                    await writer.WriteAsync(piece, 0, t.PieceData(piece));
                }
            }

            File.Delete(Path.Combine(root, "t", "f01.bin"));
            using (var stream = new FileStream(Path.Combine(root, "t", "f04.bin"), FileMode.Open))
            {
                stream.SetLength(30_000);
            }

            await using var storage = new FileStorage(t.Torrent, root);
            var result = await new TorrentChecker(storage).CheckAsync();

            var layout = t.Layout;
            var (first1, last1) = layout.PiecesOfFile(1);
            for (int piece = 0; piece < t.Torrent.PieceCount; piece++)
            {
                bool touchesMissing = piece >= first1 && piece <= last1;
                bool touchesTruncated = layout.FilesOfPiece(piece).Contains(4) && (long)(piece + 1) * t.Torrent.PieceLength > t.Torrent.Files[4].Offset + 30_000;
                Assert.Equal(!touchesMissing && !touchesTruncated, result.Pieces[piece]);
            }

            Assert.Equal(0, result.Files[1].ValidBytes);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
