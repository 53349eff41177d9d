using GodotTorrent.Storage;

namespace GodotTorrent.Disk;

/// <summary>
/// One torrent's storage fence (the <see cref="IPieceStorage"/> rule that management operations
/// run alone): operations run one at a time in the order asked; each first holds new disk work,
/// drains the writes and reads already under way, runs, then lifts the hold. Reads that arrive
/// while it is held wait for the lift instead of touching files being moved.
/// </summary>
/// <remarks>Used on the engine loop only (the awaits resume there), so it needs no lock.</remarks>
internal sealed class DiskFence
{
    private Task _tail = Task.CompletedTask;
    private TaskCompletionSource? _lifted;
    private TaskCompletionSource? _readsDrained;
    private int _reads;

    /// <summary>True from the moment an operation holds the torrent's disk work until it lifts it.</summary>
    public bool IsHeld => _lifted is not null;

    /// <summary>Reads under way now.</summary>
    public int ReadsInFlight => _reads;

    /// <summary>
    /// Runs <paramref name="operation"/> alone: <paramref name="hold"/> stops new work at its source
    /// (no requests, no uploads), <paramref name="drainWrites"/> completes when queued writes are
    /// done, then in-flight reads finish; <paramref name="lift"/> runs after, whatever happened.
    /// </summary>
    public async Task RunAsync(Action hold, Func<Task> drainWrites, Func<Task> operation, Action lift)
    {
        ArgumentNullException.ThrowIfNull(hold);
        ArgumentNullException.ThrowIfNull(drainWrites);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(lift);
        var previous = _tail;
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _tail = mine.Task;
        try
        {
            await previous.ConfigureAwait(true);
            _lifted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            hold();
            await drainWrites().ConfigureAwait(true);
            if (_reads > 0)
            {
                _readsDrained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await _readsDrained.Task.ConfigureAwait(true);
            }

            await operation().ConfigureAwait(true);
        }
        finally
        {
            _readsDrained = null;
            var lifted = _lifted;
            _lifted = null;
            lifted?.TrySetResult();
            mine.SetResult();
            lift();
        }
    }

    /// <summary>Reads through the fence: waits while an operation holds the torrent, and counts as in flight meanwhile.</summary>
    public async Task ReadAsync(IPieceStorage storage, int piece, int offset, Memory<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(storage);
        while (_lifted is { } lifted)
        {
            await lifted.Task.ConfigureAwait(true);
        }

        _reads++;
        try
        {
            await storage.ReadAsync(piece, offset, buffer).ConfigureAwait(true);
        }
        finally
        {
            if (--_reads == 0)
            {
                _readsDrained?.TrySetResult();
            }
        }
    }
}
