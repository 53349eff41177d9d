using System.Threading.Tasks.Sources;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// A pending operation of the simulated network. Unlike a task, its continuation runs inline
/// when it completes even where a synchronization context is current (a task would queue a
/// <c>ConfigureAwait(false)</c> continuation to the thread pool there), so the engine's pumps
/// stay on the stepped scheduler.
/// </summary>
internal sealed class SimOperation<T> : IValueTaskSource<T>, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<T> _core = new() { RunContinuationsAsynchronously = false };
    private CancellationTokenRegistration _registration;

    public bool IsCompleted { get; private set; }

    public ValueTask<T> Task => new(this, _core.Version);

    public ValueTask AsValueTask => new(this, _core.Version);

    /// <summary>Cancels the operation when <paramref name="cancellationToken"/> is cancelled first.</summary>
    public void CancelWith(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.Register(() => TrySetException(new OperationCanceledException(cancellationToken)));
        }
    }

    public bool TrySetResult(T result)
    {
        if (IsCompleted)
        {
            return false;
        }

        IsCompleted = true;
        _registration.Dispose();
        _core.SetResult(result);
        return true;
    }

    public bool TrySetException(Exception error)
    {
        if (IsCompleted)
        {
            return false;
        }

        IsCompleted = true;
        _registration.Dispose();
        _core.SetException(error);
        return true;
    }

    public T GetResult(short token) => _core.GetResult(token);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
