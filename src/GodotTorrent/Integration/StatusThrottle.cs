using GodotTorrent.Session;

namespace GodotTorrent.Integration;

/// <summary>
/// Limits status updates to one per torrent per <see cref="Interval"/>: offer every snapshot
/// (each frame, say), take what is due. A torrent's newest snapshot wins; one that did not change
/// since it was last taken is not taken again. Not thread-safe: use it from one thread.
/// </summary>
public sealed class StatusThrottle
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Entry> _entries = [];

    /// <summary>Creates a throttle letting one update per torrent through every <paramref name="interval"/>.</summary>
    public StatusThrottle(TimeSpan interval, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        Interval = interval;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The shortest time between two updates of one torrent.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Torrents the throttle tracks.</summary>
    public int Count => _entries.Count;

    /// <summary>Records <paramref name="status"/> as its torrent's newest snapshot.</summary>
    public void Offer(TorrentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var key = VariantSnapshots.Key(status.InfoHashes);
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Pending = Equals(status, entry.LastTaken) ? null : status;
        }
        else
        {
            _entries[key] = new Entry { Pending = status };
        }
    }

    /// <summary>The snapshots due now (changed, and the torrent's last update at least <see cref="Interval"/> ago).</summary>
    public IReadOnlyList<TorrentStatus> TakeDue()
    {
        var now = _time.GetTimestamp();
        List<TorrentStatus>? due = null;
        foreach (var entry in _entries.Values)
        {
            if (entry.Pending is { } pending && (entry.LastTaken is null || _time.GetElapsedTime(entry.TakenAt, now) >= Interval))
            {
                (due ??= []).Add(pending);
                entry.LastTaken = pending;
                entry.Pending = null;
                entry.TakenAt = now;
            }
        }

        return due ?? (IReadOnlyList<TorrentStatus>)[];
    }

    /// <summary>Stops tracking a torrent (when it is removed).</summary>
    public void Forget(string infoHashKey) => _entries.Remove(infoHashKey);

    /// <summary>Stops tracking every torrent.</summary>
    public void Clear() => _entries.Clear();

    private sealed class Entry
    {
        public TorrentStatus? Pending { get; set; }

        public TorrentStatus? LastTaken { get; set; }

        public long TakenAt { get; set; }
    }
}
