namespace GodotTorrent.Session;

/// <summary>
/// Queue positions and the decision which auto-managed torrents run: at most
/// <see cref="SessionSettings.ActiveDownloads"/> downloading, <see cref="SessionSettings.ActiveSeeds"/>
/// seeding and <see cref="SessionSettings.ActiveLimit"/> in all, in queue order. A torrent that is
/// active but slow (below the slow-torrent rates) keeps running without taking a slot, so a
/// stalled download does not block the queue. Torrents that are not auto-managed are left alone.
/// Engine loop only.
/// </summary>
internal sealed class TorrentQueue<T>
    where T : class
{
    private readonly List<T> _order = [];

    // Every torrent's status carries its position, built each tick for a changed torrent and for
    // every torrent when the queue moves: a linear search made that quadratic in the torrent
    // count. The index is rebuilt on the first lookup after a change (changes are rare).
    private readonly Dictionary<T, int> _positions = [];
    private bool _positionsStale;

    public IReadOnlyList<T> Order => _order;

    public void Add(T item)
    {
        _order.Add(item);
        if (!_positionsStale)
        {
            _positions[item] = _order.Count - 1;
        }
    }

    public void Remove(T item)
    {
        if (_order.Remove(item))
        {
            _positionsStale = true;
        }
    }

    public int PositionOf(T item)
    {
        if (_positionsStale)
        {
            _positions.Clear();
            for (int i = 0; i < _order.Count; i++)
            {
                _positions[_order[i]] = i;
            }

            _positionsStale = false;
        }

        return _positions.TryGetValue(item, out int position) ? position : -1;
    }

    public void MoveUp(T item) => Move(item, PositionOf(item) - 1);

    public void MoveDown(T item) => Move(item, PositionOf(item) + 1);

    public void MoveToTop(T item) => Move(item, 0);

    public void MoveToBottom(T item) => Move(item, _order.Count - 1);

    public void Move(T item, int position)
    {
        int index = PositionOf(item);
        if (index < 0)
        {
            throw new TorrentException(ErrorCode.InvalidHandle, "The torrent is not queued in this session.");
        }

        position = Math.Clamp(position, 0, _order.Count - 1);
        _order.RemoveAt(index);
        _order.Insert(position, item);
        _positionsStale = true;
    }

    /// <summary>The auto-managed torrents that should run now; the other auto-managed ones should wait.</summary>
    public HashSet<T> Decide(IReadOnlyDictionary<T, QueueCandidate<T>> candidates, SessionSettings settings)
    {
        var run = new HashSet<T>();
        Decide(candidates, settings, run);
        return run;
    }

    /// <summary>Adds the auto-managed torrents that should run now to <paramref name="run"/>.</summary>
    public void Decide(IReadOnlyDictionary<T, QueueCandidate<T>> candidates, SessionSettings settings, HashSet<T> run)
    {
        int downloads = 0, seeds = 0, total = 0;
        foreach (var item in _order)
        {
            if (!candidates.TryGetValue(item, out var candidate) || !candidate.AutoManaged)
            {
                continue;
            }

            if (candidate.Active && candidate.Slow && settings.DontCountSlowTorrents)
            {
                run.Add(item);
                continue;
            }

            int limit = candidate.Complete ? settings.ActiveSeeds : settings.ActiveDownloads;
            ref int used = ref candidate.Complete ? ref seeds : ref downloads;
            if (used < limit && total < settings.ActiveLimit)
            {
                used++;
                total++;
                run.Add(item);
            }
        }
    }
}
