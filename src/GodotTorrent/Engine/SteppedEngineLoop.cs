namespace GodotTorrent.Engine;

/// <summary>One session's loop on a shared <see cref="SteppedScheduler"/>: its work items join the scheduler's single queue.</summary>
internal sealed class SteppedEngineLoop(SteppedScheduler scheduler, Action<Exception>? onError) : EngineLoop
{
    private bool _stopped;

    public override bool IsCurrent => scheduler.IsRunning;

    protected override bool IsStopped => _stopped;

    public override void Post(SendOrPostCallback d, object? state)
    {
        if (!_stopped)
        {
            scheduler.Enqueue(new SteppedScheduler.WorkItem(this, d, state, onError));
        }
    }

    /// <summary>
    /// Completed inline, outside any synchronization context: a caller's <c>ConfigureAwait(false)</c>
    /// continuation (the public API's) then runs in this step instead of escaping to the thread
    /// pool, where the simulation could not wait for it without real time.
    /// </summary>
    protected override TaskCreationOptions CompletionOptions => TaskCreationOptions.None;

    protected override void Complete(Action complete)
    {
        var context = Current;
        SetSynchronizationContext(null);
        try
        {
            complete();
        }
        finally
        {
            SetSynchronizationContext(context);
        }
    }

    protected override void Dispose(bool disposing) => _stopped = true;
}
