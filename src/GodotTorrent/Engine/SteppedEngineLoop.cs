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

    protected override void Dispose(bool disposing) => _stopped = true;
}
