using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

public class BackgroundFlushTests
{
    private const long Every = 64L << 20;

    [Fact]
    public void StartsAFlushOnlyOnceEnoughBytesAreWritten()
    {
        int flushes = 0;
        var flush = new BackgroundFlush(Every, () =>
        {
            flushes++;
            return Task.CompletedTask;
        });

        flush.Written(Every - 1);
        Assert.Equal(0, flushes);

        flush.Written(1);
        Assert.Equal(1, flushes);

        // The count starts again after a flush starts.
        flush.Written(Every - 1);
        Assert.Equal(1, flushes);
        flush.Written(1);
        Assert.Equal(2, flushes);
        Assert.Equal(2, flush.Started);
    }

    [Fact]
    public async Task RunsOneFlushAtATimeAndCountsWhatCameMeanwhile()
    {
        var running = new TaskCompletionSource();
        int flushes = 0;
        var flush = new BackgroundFlush(Every, () =>
        {
            flushes++;
            return running.Task;
        });

        flush.Written(Every);
        Assert.Equal(1, flushes);

        // A slow disk: the flush is still running, so no second one piles up behind it.
        flush.Written(3 * Every);
        Assert.Equal(1, flushes);

        // Once it ends, the bytes written meanwhile are still owed a flush: the next write starts it.
        running.SetResult();
        await flush.WhenIdle;
        flush.Written(1);
        Assert.Equal(2, flushes);
    }

    [Fact]
    public async Task AFailedFlushDoesNotStopTheNextOne()
    {
        int flushes = 0;
        var flush = new BackgroundFlush(Every, () =>
        {
            flushes++;
            return Task.FromException(new IOException("disk gone"));
        });

        flush.Written(Every);
        await Assert.ThrowsAsync<IOException>(() => flush.WhenIdle);
        flush.Written(Every);
        Assert.Equal(2, flushes);
    }
}
