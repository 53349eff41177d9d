using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Streaming reads (<see cref="TorrentFileStream"/>) on virtual time: a seed limited to 2 MB/s, a 64 MiB
/// file and a downloader in sequential (in-order) mode. A read far into the file returns the right bytes
/// while few pieces are complete, where the in-order download would have needed every piece before it.
/// </summary>
public sealed class SimulatedStreamingTests
{
    private const int FileSize = 64 << 20;
    private const int PieceLength = 256 * 1024;
    private const long UploadLimit = 2_000_000;
    private static readonly (TorrentInfo Torrent, byte[] Content) Payload = SimSwarm.MakeTorrent(FileSize, PieceLength, contentSeed: 17);

    [Fact]
    public void AReadAt50MiBReturnsTheRightBytesLongBeforeTheInOrderDownloadGetsThere()
    {
        using var swarm = new SimSwarm(41);
        var (seed, download, node) = Start(swarm);
        var stream = swarm.Run(download.OpenFileStreamAsync(0));
        var started = swarm.Clock.Elapsed;

        long offset = 50L << 20;
        var bytes = ReadAt(swarm, stream, offset, 100_000);
        var took = swarm.Clock.Elapsed - started;
        int done = swarm.Status(node).PiecesDone;

        Assert.Equal(Payload.Content.AsSpan((int)offset, bytes.Length).ToArray(), bytes);
        // In order, 50 MiB is piece 200: every piece before it would be done first.
        int inOrder = (int)(offset / PieceLength);
        Assert.True(done < inOrder / 5, $"{done} pieces complete when the read returned; in order it takes {inOrder}");
        // And in time: 50 MiB at 2 MB/s is 26 s of transfer.
        Assert.True(took < TimeSpan.FromSeconds(26.0 / 5), $"the read took {took} of virtual time");
        Assert.Empty(swarm.Scheduler.Errors);
        GC.KeepAlive(seed);
    }

    [Fact]
    public void SeeksBackAndForthEachReturnTheRightBytesAndMoveTheWindow()
    {
        using var swarm = new SimSwarm(42);
        var (_, download, node) = Start(swarm);
        var stream = swarm.Run(download.OpenFileStreamAsync(0, readAhead: 1 << 20));
        long[] offsets = [50L << 20, 10L << 20, (60L << 20) + 12_345, 3_000, FileSize - 70_000];
        foreach (long offset in offsets)
        {
            var bytes = ReadAt(swarm, stream, offset, 70_000);
            Assert.Equal(Payload.Content.AsSpan((int)offset, bytes.Length).ToArray(), bytes);
        }

        // A seek alone moves the window: the picker's deadlines follow to 30 MiB (the read-ahead is 1 MiB: 4-5 pieces).
        stream.Seek(30L << 20, SeekOrigin.Begin);
        swarm.RunFor(TimeSpan.FromMilliseconds(1));
        var streams = download.Runtime.Streams;
        Assert.InRange(Query(swarm, download, () => streams.PickerDeadlines), 1, 5);
        Assert.True(swarm.RunUntil(() => Query(swarm, download, () => streams.PickerDeadlines) == 0, TimeSpan.FromSeconds(10)), "the window's pieces did not arrive");
        Assert.True(Query(swarm, download, () => download.Runtime.HavePiece(120)), "piece 120 (30 MiB) is not there after the seek");

        // The in-order download meanwhile went on from the start, so the pieces between the windows are not there.
        Assert.True(Query(swarm, download, () => download.Runtime.HavePiece(200) && download.Runtime.HavePiece(240)));
        Assert.False(Query(swarm, download, () => download.Runtime.HavePiece(150) || download.Runtime.HavePiece(230)));
        Assert.Equal(0, stream.Seek(0, SeekOrigin.End) - FileSize);
        Assert.Equal(0, swarm.Run(stream.ReadAsync(new byte[10]).AsTask()));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void TwoStreamsOnTheSameFileReadFarApartAtOnce()
    {
        using var swarm = new SimSwarm(43);
        var (_, download, node) = Start(swarm);
        var first = swarm.Run(download.OpenFileStreamAsync(0));
        var second = swarm.Run(download.OpenFileStreamAsync(0));
        first.Seek(20L << 20, SeekOrigin.Begin);
        second.Seek(55L << 20, SeekOrigin.Begin);
        var a = new byte[50_000];
        var b = new byte[50_000];
        var readA = first.ReadAsync(a).AsTask();
        var readB = second.ReadAsync(b).AsTask();
        int[] counts = swarm.Run(Task.WhenAll(readA, readB), TimeSpan.FromSeconds(30));

        Assert.Equal(Payload.Content.AsSpan(20 << 20, counts[0]).ToArray(), a[..counts[0]]);
        Assert.Equal(Payload.Content.AsSpan(55 << 20, counts[1]).ToArray(), b[..counts[1]]);
        int done = swarm.Status(node).PiecesDone;
        Assert.True(done < 40, $"{done} pieces complete when both reads returned");
        Assert.Equal(2, Query(swarm, download, () => download.Runtime.Streams.Count));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void CancellingAReadAndDisposingAStreamReleaseTheirDeadlines()
    {
        using var swarm = new SimSwarm(44);
        var (_, download, node) = Start(swarm);
        var streams = download.Runtime.Streams;
        var stream = swarm.Run(download.OpenFileStreamAsync(0));

        using var cancel = new CancellationTokenSource();
        stream.Seek(50L << 20, SeekOrigin.Begin);
        var read = stream.ReadAsync(new byte[1000], cancel.Token).AsTask();
        swarm.RunFor(TimeSpan.FromMilliseconds(20));
        Assert.False(read.IsCompleted);
        Assert.True(Query(swarm, download, () => streams.PickerDeadlines) > 1);
        Assert.Equal(1, Query(swarm, download, () => streams.WaitingReads));

        cancel.Cancel();
        swarm.Scheduler.RunUntilComplete(read, TimeSpan.FromSeconds(1));
        Assert.IsAssignableFrom<OperationCanceledException>(Outcome(read));
        Assert.Equal(0, Query(swarm, download, () => streams.PickerDeadlines));
        Assert.Equal(0, Query(swarm, download, () => streams.WaitingReads));

        // A waiting read on a stream disposed meanwhile fails, and the deadlines go.
        stream.Seek(40L << 20, SeekOrigin.Begin);
        var pending = stream.ReadAsync(new byte[1000]).AsTask();
        swarm.RunFor(TimeSpan.FromMilliseconds(20));
        Assert.True(Query(swarm, download, () => streams.PickerDeadlines) > 1);
        swarm.Run(stream.DisposeAsync().AsTask());
        swarm.Scheduler.RunUntilComplete(pending, TimeSpan.FromSeconds(1));
        Assert.IsType<ObjectDisposedException>(Outcome(pending));
        Assert.Equal(0, Query(swarm, download, () => streams.PickerDeadlines));
        Assert.Equal(0, Query(swarm, download, () => streams.Count));
        Assert.Throws<ObjectDisposedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void AStreamFetchesFromAFileSetToSkipAndReadsAtOnceOnASeed()
    {
        using var swarm = new SimSwarm(45);
        var seed = swarm.AddNode(SimSwarm.DefaultSettings with { UploadRateLimit = UploadLimit });
        var seedHandle = swarm.AddTorrent(seed, Payload.Torrent, Payload.Content);
        var leecher = swarm.AddNode();
        var handle = swarm.AddTorrent(leecher, new AddTorrentParams
        {
            Torrent = Payload.Torrent,
            SavePath = "",
            FilePriorities = [Priority.Skip],
            Peers = [seed.EndPoint],
        });
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Finished && seedHandle.Status.State == TorrentState.Seeding, TimeSpan.FromSeconds(30)));

        var stream = swarm.Run(handle.OpenFileStreamAsync(0));
        var bytes = ReadAt(swarm, stream, 33L << 20, 40_000);
        Assert.Equal(Payload.Content.AsSpan(33 << 20, 40_000).ToArray(), bytes);
        Assert.InRange(swarm.Status(leecher).PiecesDone, 1, 40);

        var fromSeed = swarm.Run(seedHandle.OpenFileStreamAsync(0));
        var before = swarm.Clock.Elapsed;
        var seedBytes = ReadAt(swarm, fromSeed, 61L << 20, 300_000);
        Assert.Equal(Payload.Content.AsSpan(61 << 20, 300_000).ToArray(), seedBytes);
        Assert.True(swarm.Clock.Elapsed - before < TimeSpan.FromMilliseconds(100));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void RemovingTheTorrentFailsAWaitingReadAndLaterOnes()
    {
        using var swarm = new SimSwarm(47);
        var (_, download, node) = Start(swarm);
        var stream = swarm.Run(download.OpenFileStreamAsync(0));
        stream.Seek(45L << 20, SeekOrigin.Begin);
        var read = stream.ReadAsync(new byte[100]).AsTask();
        swarm.RunFor(TimeSpan.FromMilliseconds(20));
        Assert.False(read.IsCompleted);

        swarm.Run(node.Session.RemoveTorrentAsync(download));
        swarm.Scheduler.RunUntilComplete(read, TimeSpan.FromSeconds(1));
        Assert.Equal(ErrorCode.InvalidHandle, Assert.IsType<TorrentException>(read.Exception?.InnerException).ErrorCode);
        Assert.Equal(ErrorCode.InvalidHandle, Assert.Throws<TorrentException>(() => swarm.Run(stream.ReadAsync(new byte[100]).AsTask())).ErrorCode);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void OpeningChecksItsArguments()
    {
        using var swarm = new SimSwarm(46);
        var (_, download, node) = Start(swarm);
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<TorrentException>(() => swarm.Run(download.OpenFileStreamAsync(1))).ErrorCode);
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<TorrentException>(() => swarm.Run(download.OpenFileStreamAsync(0, readAhead: -1))).ErrorCode);
        var stream = swarm.Run(download.OpenFileStreamAsync(0));
        Assert.True(stream.CanRead && stream.CanSeek && !stream.CanWrite);
        Assert.Equal(FileSize, stream.Length);
        Assert.Equal(4L << 20, stream.ReadAhead);
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
        Assert.Throws<IOException>(() => stream.Seek(-1, SeekOrigin.Begin));
    }

    private static (SimNode Seed, TorrentHandle Download, SimNode Node) Start(SimSwarm swarm)
    {
        var seed = swarm.AddNode(SimSwarm.DefaultSettings with { UploadRateLimit = UploadLimit });
        swarm.AddTorrent(seed, Payload.Torrent, Payload.Content);
        var leecher = swarm.AddNode();
        var handle = swarm.AddTorrent(leecher, new AddTorrentParams
        {
            Torrent = Payload.Torrent,
            SavePath = "",
            SequentialDownload = true,
            Peers = [seed.EndPoint],
        });
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Downloading, TimeSpan.FromSeconds(30)));
        return (seed, handle, leecher);
    }

    private static byte[] ReadAt(SimSwarm swarm, TorrentFileStream stream, long offset, int length)
    {
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[length];
        int done = 0;
        while (done < length)
        {
            int n = swarm.Run(stream.ReadAsync(buffer.AsMemory(done)).AsTask(), TimeSpan.FromMinutes(2));
            if (n == 0)
            {
                break;
            }

            done += n;
        }

        return buffer[..done];
    }

    private static T Query<T>(SimSwarm swarm, TorrentHandle download, Func<T> query) =>
        swarm.Run(download.Runtime.Loop.InvokeAsync(query));

    // The caller's side of a read finishes on the thread pool once the token or the loop ends it (the
    // stream awaits with ConfigureAwait(false)), so the virtual clock alone cannot wait for it: a bounded
    // real wait for a task that is already decided, not a timing assertion.
    private static Exception? Outcome(Task task)
    {
        try
        {
            Assert.True(task.Wait(TimeSpan.FromSeconds(30)), "the read did not end");
            return null;
        }
        catch (AggregateException e)
        {
            return e.InnerException;
        }
    }
}
