using Microsoft.Win32.SafeHandles;

namespace GodotTorrent.Storage;

/// <summary>
/// A bounded, thread-safe least-recently-used set of open files. Entries are reference counted:
/// evicting a file another thread is reading only marks it, and the last user closes it.
/// </summary>
internal sealed class FileHandleCache
{
    private readonly object _lock = new();
    private readonly int _capacity;
    private readonly Dictionary<int, Entry> _open = [];
    private readonly LinkedList<Entry> _recent = new();

    public FileHandleCache(int capacity)
    {
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Returns an open handle (opening it with <paramref name="open"/> if needed); pair with <see cref="Release"/>.</summary>
    public Entry Acquire(int key, bool write, Func<int, FileStream> open)
    {
        lock (_lock)
        {
            if (_open.TryGetValue(key, out var entry))
            {
                if (!write || entry.Writable)
                {
                    entry.Users++;
                    _recent.Remove(entry.Node);
                    _recent.AddFirst(entry.Node);
                    return entry;
                }

                // A read-only handle cannot take writes: reopen read-write (seeding from a read-only disk never needs to).
                Evict(entry);
            }

            // Opening under the lock keeps one handle per file; opens are rare next to reads and writes.
            var stream = open(key);
            entry = new Entry(key, stream, write);
            entry.Users = 1;
            _open.Add(key, entry);
            _recent.AddFirst(entry.Node);
            while (_open.Count > _capacity)
            {
                Evict(_recent.Last!.Value);
            }

            return entry;
        }
    }

    public void Release(Entry entry)
    {
        lock (_lock)
        {
            entry.Users--;
            if (entry.Evicted && entry.Users == 0)
            {
                entry.Stream.Dispose();
            }
        }
    }

    /// <summary>True (and the check time restarted) when a read handle was last checked longer than <paramref name="interval"/> ago.</summary>
    public bool NeedsCheck(Entry entry, TimeSpan interval)
    {
        long now = Environment.TickCount64;
        lock (_lock)
        {
            if (now - entry.CheckedAt < (long)interval.TotalMilliseconds)
            {
                return false;
            }

            entry.CheckedAt = now;
            return true;
        }
    }

    public void Close(int key)
    {
        lock (_lock)
        {
            if (_open.TryGetValue(key, out var entry))
            {
                Evict(entry);
            }
        }
    }

    public void CloseAll()
    {
        lock (_lock)
        {
            foreach (var entry in _open.Values.ToList())
            {
                Evict(entry);
            }
        }
    }

    public void FlushWritable()
    {
        List<Entry> writable;
        lock (_lock)
        {
            writable = _open.Values.Where(e => e.Writable).ToList();
            writable.ForEach(e => e.Users++);
        }

        try
        {
            foreach (var entry in writable)
            {
                entry.Stream.Flush(flushToDisk: true);
            }
        }
        finally
        {
            writable.ForEach(Release);
        }
    }

    private void Evict(Entry entry)
    {
        _open.Remove(entry.Key);
        _recent.Remove(entry.Node);
        entry.Evicted = true;
        if (entry.Users == 0)
        {
            entry.Stream.Dispose();
        }
    }

    /// <summary>One open file.</summary>
    internal sealed class Entry
    {
        public Entry(int key, FileStream stream, bool writable)
        {
            Key = key;
            Stream = stream;

            // Read once: FileStream's getter seeks the descriptor to the stream's position on every call.
            Handle = stream.SafeFileHandle;
            Writable = writable;
            Node = new LinkedListNode<Entry>(this);
            CheckedAt = Environment.TickCount64;
        }

        public int Key { get; }

        public FileStream Stream { get; }

        public SafeFileHandle Handle { get; }

        public string Path => Stream.Name;

        public bool Writable { get; }

        public LinkedListNode<Entry> Node { get; }

        public int Users { get; set; }

        public bool Evicted { get; set; }

        public long CheckedAt { get; set; }
    }
}
