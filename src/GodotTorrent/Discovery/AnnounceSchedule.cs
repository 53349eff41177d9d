namespace GodotTorrent.Discovery;

/// <summary>
/// When each of many torrents announces next, in one queue the session's tick reads: a session
/// of 1,000 torrents wakes once a second for all of them, not once per torrent on a timer of its
/// own. An item is due at one time at most: setting it again replaces the earlier time (the old
/// queue entry is skipped when it comes up). Engine loop only.
/// </summary>
/// <typeparam name="T">A torrent's peer source.</typeparam>
internal sealed class AnnounceSchedule<T>
    where T : class
{
    private readonly PriorityQueue<T, DateTimeOffset> _queue = new();
    private readonly Dictionary<T, DateTimeOffset> _due = new(ReferenceEqualityComparer.Instance);

    /// <summary>Items with a due time.</summary>
    public int Count => _due.Count;

    /// <summary>Makes <paramref name="item"/> due at <paramref name="at"/>, replacing any earlier time.</summary>
    public void Set(T item, DateTimeOffset at)
    {
        _due[item] = at;
        _queue.Enqueue(item, at);
    }

    /// <summary>Takes <paramref name="item"/> off the schedule.</summary>
    public void Remove(T item) => _due.Remove(item);

    /// <summary>Takes everything off the schedule.</summary>
    public void Clear()
    {
        _due.Clear();
        _queue.Clear();
    }

    /// <summary>The time <paramref name="item"/> is due, if it is scheduled.</summary>
    public DateTimeOffset? DueOf(T item) => _due.TryGetValue(item, out var at) ? at : null;

    /// <summary>Moves every item due by <paramref name="now"/> to <paramref name="into"/>, earliest first, and off the schedule.</summary>
    public void TakeDue(DateTimeOffset now, List<T> into)
    {
        while (_queue.TryPeek(out var item, out var at) && at <= now)
        {
            _queue.Dequeue();
            if (_due.TryGetValue(item, out var current) && current == at)
            {
                _due.Remove(item);
                into.Add(item);
            }
        }
    }
}
