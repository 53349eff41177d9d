namespace GodotTorrent.Storage;

/// <summary>
/// Starts a flush each time <c>everyBytes</c> have been written since the last one started, one
/// flush at a time. Without it a download leaves all its data dirty in the page cache (Linux
/// writes back only past a tenth of memory), so the flush that makes a finished torrent durable
/// waited for all of it at the end: a second per GiB after the last byte came in. Flushing as the
/// data comes lets the disk write while the network is still busy, and the last flush has only the
/// tail left. Thread-safe; callers are the disk workers.
/// </summary>
internal sealed class BackgroundFlush(long everyBytes, Func<Task> flush)
{
    private long _unflushed;
    private int _running;
    private int _started;
    private Task _last = Task.CompletedTask;

    /// <summary>Flushes started so far (for tests and statistics).</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>The last flush started; complete when none runs (for tests: its end may run on another thread).</summary>
    public Task WhenIdle => Volatile.Read(ref _last);

    /// <summary>Counts <paramref name="bytes"/> written; starts a flush when enough are waiting and none runs.</summary>
    public void Written(long bytes)
    {
        if (Interlocked.Add(ref _unflushed, bytes) < everyBytes || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return;
        }

        // Bytes written from here on are not certain to be covered by this flush: count them anew.
        Interlocked.Exchange(ref _unflushed, 0);
        Interlocked.Increment(ref _started);
        Volatile.Write(ref _last, RunAsync());
    }

    private async Task RunAsync()
    {
        try
        {
            await flush().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
