namespace GodotTorrent.Engine;

/// <summary>The production background runner: the thread pool.</summary>
internal sealed class ThreadPoolRunner : IBackgroundRunner
{
    public static ThreadPoolRunner Instance { get; } = new();

    public Task Run(Func<Task> work) => Task.Run(work);

    public Task<T> Run<T>(Func<Task<T>> work) => Task.Run(work);
}
