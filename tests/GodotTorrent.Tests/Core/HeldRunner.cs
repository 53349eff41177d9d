using GodotTorrent.Engine;

namespace GodotTorrent.Tests.Core;

/// <summary>Holds each piece of background work until the test runs it, as a busy thread pool would.</summary>
internal sealed class HeldRunner : IBackgroundRunner
{
    private readonly List<Action> _held = [];

    public int Held => _held.Count;

    public Task Run(Func<Task> work) => Run(async () =>
    {
        await work();
        return true;
    });

    public Task<T> Run<T>(Func<Task<T>> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _held.Add(() =>
        {
            try
            {
                completion.SetResult(work().GetAwaiter().GetResult());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        });
        return completion.Task;
    }

    /// <summary>Runs, on this thread, the work held so far (work it starts is held for the next call).</summary>
    public void RunHeld()
    {
        var now = _held.ToArray();
        _held.Clear();
        foreach (var work in now)
        {
            work();
        }
    }
}
