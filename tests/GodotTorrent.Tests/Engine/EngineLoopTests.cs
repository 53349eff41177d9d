using GodotTorrent.Tests.Simulation;

namespace GodotTorrent.Tests.Engine;

/// <summary>
/// Work run on the loop ends the way an async method would. A faulted task that nobody awaits is an
/// UnobservedTaskException when it is collected; a cancelled one is not: the public API's
/// <c>WaitAsync(cancellationToken)</c> stops watching the loop's task when the caller cancels, so an
/// operation cancelled by that token must end cancelled.
/// </summary>
public class EngineLoopTests
{
    [Fact]
    public void An_operation_that_throws_OperationCanceledException_ends_cancelled_not_faulted()
    {
        using var swarm = new SimSwarm(1);
        var loop = swarm.Scheduler.CreateLoop(null);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var asynchronous = loop.InvokeAsync(async () =>
        {
            await Task.CompletedTask.ConfigureAwait(true);
            cts.Token.ThrowIfCancellationRequested();
            return 1;
        });
        var synchronous = loop.InvokeAsync(() =>
        {
            cts.Token.ThrowIfCancellationRequested();
            return 1;
        });
        var faulting = loop.InvokeAsync(new Func<int>(() => throw new InvalidOperationException("a real failure")));

        Assert.True(swarm.RunUntil(() => asynchronous.IsCompleted && synchronous.IsCompleted && faulting.IsCompleted, TimeSpan.FromSeconds(1)));
        Assert.Equal(TaskStatus.Canceled, asynchronous.Status);
        Assert.Equal(TaskStatus.Canceled, synchronous.Status);
        Assert.Equal(TaskStatus.Faulted, faulting.Status);
        Assert.IsType<InvalidOperationException>(faulting.Exception!.InnerException);
    }
}
