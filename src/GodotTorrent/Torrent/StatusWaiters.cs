using GodotTorrent.Session;

namespace GodotTorrent.Torrent;

/// <summary>
/// The callers of <c>TorrentHandle.WaitForAsync</c> waiting for a status that satisfies their
/// predicate, completed as each new status is built. Engine loop only.
/// </summary>
internal sealed class StatusWaiters
{
    private readonly List<(Func<TorrentStatus, bool> Predicate, TaskCompletionSource<TorrentStatus> Completion)> _waiters = [];

    /// <summary>Waits for a status that satisfies <paramref name="predicate"/> (the caller checked the current one).</summary>
    public Task<TorrentStatus> Add(Func<TorrentStatus, bool> predicate, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<TorrentStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((predicate, completion));
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        }

        return completion.Task;
    }

    /// <summary>Callers waiting now.</summary>
    public int Count => _waiters.Count;

    /// <summary>Completes the waiters <paramref name="status"/> satisfies, and forgets the cancelled ones.</summary>
    public void Notify(TorrentStatus status)
    {
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            var (predicate, completion) = _waiters[i];
            if (completion.Task.IsCompleted || predicate(status))
            {
                completion.TrySetResult(status);
                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>Fails every waiter: the torrent is gone.</summary>
    public void FailAll(Exception error)
    {
        foreach (var (_, completion) in _waiters)
        {
            completion.TrySetException(error);
        }

        _waiters.Clear();
    }
}
