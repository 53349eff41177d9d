namespace GodotTorrent.Storage;

/// <summary>
/// An open/closed gate awaited between units of work: closing it pauses the workers at their
/// next unit without blocking a thread, opening it lets them all continue.
/// </summary>
internal sealed class AsyncGate
{
    private readonly object _lock = new();
    private TaskCompletionSource? _closed;

    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _closed is null;
            }
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            _closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Open()
    {
        TaskCompletionSource? closed;
        lock (_lock)
        {
            closed = _closed;
            _closed = null;
        }

        closed?.TrySetResult();
    }

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Task wait;
        lock (_lock)
        {
            wait = _closed?.Task ?? Task.CompletedTask;
        }

        return wait.IsCompleted ? wait : wait.WaitAsync(cancellationToken);
    }
}
