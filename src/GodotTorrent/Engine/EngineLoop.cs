namespace GodotTorrent.Engine;

/// <summary>
/// The session's single logical thread. All torrent, peer, picker and choker state is touched
/// only here, so none of it needs locks. It is a <see cref="SynchronizationContext"/>: engine
/// code that awaits with <c>ConfigureAwait(true)</c> resumes on this loop. Production runs it on
/// a thread (<see cref="ThreadedEngineLoop"/>); simulation runs it on a <see cref="SteppedScheduler"/>
/// that the test drives.
/// </summary>
internal abstract class EngineLoop : SynchronizationContext, IDisposable
{
    /// <summary>True when the caller is already running on this loop.</summary>
    public abstract bool IsCurrent { get; }

    /// <summary>True once disposed: new work is dropped.</summary>
    protected abstract bool IsStopped { get; }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("The engine loop never blocks a caller; use Post or InvokeAsync.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="action"/> on the loop and completes with its result.</summary>
    public Task<T> InvokeAsync<T>(Func<T> action)
    {
        var completion = new TaskCompletionSource<T>(CompletionOptions);
        Post(_ =>
        {
            try
            {
                var result = action();
                Complete(() => completion.SetResult(result));
            }
            catch (Exception e)
            {
                Complete(() => Fail(completion, e));
            }
        }, null);
        return IsStopped ? Task.FromException<T>(new ObjectDisposedException(nameof(EngineLoop))) : completion.Task;
    }

    /// <summary>Runs an asynchronous operation that starts (and resumes) on the loop.</summary>
    public Task<T> InvokeAsync<T>(Func<Task<T>> action)
    {
        var completion = new TaskCompletionSource<T>(CompletionOptions);
        Post(async _ =>
        {
            try
            {
                var result = await action().ConfigureAwait(true);
                Complete(() => completion.SetResult(result));
            }
            catch (Exception e)
            {
                Complete(() => Fail(completion, e));
            }
        }, null);
        return IsStopped ? Task.FromException<T>(new ObjectDisposedException(nameof(EngineLoop))) : completion.Task;
    }

    /// <summary>Runs <paramref name="action"/> on the loop.</summary>
    public Task InvokeAsync(Action action) => InvokeAsync(() =>
    {
        action();
        return true;
    });

    /// <summary>Runs an asynchronous operation on the loop.</summary>
    public Task InvokeAsync(Func<Task> action) => InvokeAsync(async () =>
    {
        await action().ConfigureAwait(true);
        return true;
    });

    // Cancelled work ends cancelled, as an async method would. The public API stops watching this
    // task when its caller's token fires (WaitAsync), so a fault carrying that cancellation would be
    // an UnobservedTaskException when collected; a cancelled task never is.
    private static void Fail<T>(TaskCompletionSource<T> completion, Exception e)
    {
        if (e is OperationCanceledException cancelled)
        {
            completion.SetCanceled(cancelled.CancellationToken);
        }
        else
        {
            completion.SetException(e);
        }
    }

    /// <summary>How the tasks of <see cref="InvokeAsync{T}(Func{T})"/> are created: callers never continue on the loop.</summary>
    protected virtual TaskCreationOptions CompletionOptions => TaskCreationOptions.RunContinuationsAsynchronously;

    /// <summary>Completes a task of <see cref="InvokeAsync{T}(Func{T})"/> (runs <paramref name="complete"/>).</summary>
    protected virtual void Complete(Action complete) => complete();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
