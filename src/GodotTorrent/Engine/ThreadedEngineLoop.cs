using System.Collections.Concurrent;

namespace GodotTorrent.Engine;

/// <summary>The production loop: one dedicated thread draining a queue of work items in order.</summary>
internal sealed class ThreadedEngineLoop : EngineLoop
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Thread _thread;
    private readonly Action<Exception>? _onError;
    private volatile bool _stopped;

    public ThreadedEngineLoop(string name, Action<Exception>? onError = null)
    {
        _onError = onError;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public override bool IsCurrent => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    protected override bool IsStopped => _stopped;

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

    protected override void Dispose(bool disposing)
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
