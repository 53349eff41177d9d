using System.Globalization;
using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// Collects the alerts of type <typeparamref name="T"/> that match a predicate as the session posts
/// them (<see cref="AlertManager.AlertPosted"/>, so nothing popped elsewhere is missed), and waits,
/// bounded, for a number of them. Create it before the action that should cause them.
/// </summary>
public sealed class AlertWaiter<T> : IDisposable
    where T : Alert
{
    private readonly AlertManager _alerts;
    private readonly Func<T, bool> _match;
    private readonly object _gate = new();
    private readonly List<T> _seen = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public AlertWaiter(TorrentSession session, Func<T, bool>? match = null)
    {
        _alerts = session.Alerts;
        _match = match ?? (_ => true);
        _alerts.AlertPosted += OnPosted;
    }

    /// <summary>The matching alerts so far, in order.</summary>
    public IReadOnlyList<T> Seen
    {
        get
        {
            lock (_gate)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> matching alerts were posted; throws <see cref="TimeoutException"/> with what was seen.</summary>
    public async Task<IReadOnlyList<T>> WaitAsync(int count, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_seen.Count >= count)
            {
                return [.. _seen];
            }

            _waiters.Add((count, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(string.Create(
                CultureInfo.InvariantCulture,
                $"{count} {typeof(T).Name} expected within {timeout.TotalSeconds} s, {Seen.Count} seen: {string.Join("; ", Seen.Select(a => a.Message))}"));
        }

        return Seen;
    }

    public void Dispose() => _alerts.AlertPosted -= OnPosted;

    private void OnPosted(object? sender, AlertPostedEventArgs e)
    {
        if (e.Alert is not T alert || !_match(alert))
        {
            return;
        }

        List<TaskCompletionSource> ready = [];
        lock (_gate)
        {
            _seen.Add(alert);
            ready.AddRange(_waiters.Where(w => _seen.Count >= w.Count).Select(w => w.Done));
            _waiters.RemoveAll(w => _seen.Count >= w.Count);
        }

        foreach (var done in ready)
        {
            done.TrySetResult();
        }
    }
}
