using System.Collections.Concurrent;

namespace GodotTorrent.Session;

/// <summary>
/// The session's single logical thread. All torrent, peer, picker and choker state is touched
/// only here, so none of it needs locks. It is a <see cref="SynchronizationContext"/>: engine
/// code that awaits with <c>ConfigureAwait(true)</c> resumes on this thread.
/// </summary>
internal sealed class EngineLoop : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Thread _thread;
    private readonly Action<Exception>? _onError;
    private volatile bool _stopped;

    public EngineLoop(string name, Action<Exception>? onError = null)
    {
        _onError = onError;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>True when the caller is already on the engine thread.</summary>
    public bool IsCurrent => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    public override void Post(SendOrPostCallback d, object? state)
    {
        if (!_stopped)
        {
            try
            {
                _queue.Add((d, state));
            }
            catch (InvalidOperationException)
            {
                // Completed while posting: the session is stopping and drops late work.
            }
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("The engine loop never blocks a caller; use Post or InvokeAsync.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="action"/> on the loop and completes with its result.</summary>
    public Task<T> InvokeAsync<T>(Func<T> action)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(_ =>
        {
            try
            {
                completion.SetResult(action());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        }, null);
        return _stopped ? Task.FromException<T>(new ObjectDisposedException(nameof(EngineLoop))) : completion.Task;
    }

    /// <summary>Runs an asynchronous operation that starts (and resumes) on the loop.</summary>
    public Task<T> InvokeAsync<T>(Func<Task<T>> action)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(async _ =>
        {
            try
            {
                completion.SetResult(await action().ConfigureAwait(true));
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        }, null);
        return _stopped ? Task.FromException<T>(new ObjectDisposedException(nameof(EngineLoop))) : completion.Task;
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

    public void Dispose()
    {
        _stopped = true;
        _queue.CompleteAdding();
        if (!IsCurrent)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void Run()
    {
        SetSynchronizationContext(this);
        foreach (var (callback, state) in _queue.GetConsumingEnumerable())
        {
            try
            {
                callback(state);
            }
#pragma warning disable CA1031 // One failing work item must not take the session down.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _onError?.Invoke(e);
            }
        }
    }
}
