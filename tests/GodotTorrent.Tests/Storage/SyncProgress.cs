namespace GodotTorrent.Tests.Storage;

/// <summary>An IProgress that runs the callback inline (Progress&lt;T&gt; posts, which can reorder reports).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
