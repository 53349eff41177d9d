using GodotTorrent.Torrent;

namespace GodotTorrent.Session;

/// <summary>
/// The torrent queue: auto-managed torrents run in queue order within
/// <see cref="SessionSettings.ActiveDownloads"/>, <see cref="SessionSettings.ActiveSeeds"/> and
/// <see cref="SessionSettings.ActiveLimit"/>; the rest wait queued. Decided every tick and after
/// every change that can move a slot.
/// </summary>
public sealed partial class TorrentSession
{
    private readonly TorrentQueue<TorrentRuntime> _queue = new();

    // Reused by every decision (one a second at least): with many auto-managed torrents, fresh
    // collections per tick were most of what an idle session allocated (step 08 item 6).
    private readonly Dictionary<TorrentRuntime, QueueCandidate<TorrentRuntime>> _queueCandidates = [];
    private readonly HashSet<TorrentRuntime> _queueRun = [];
    private bool _deciding;

    internal int QueuePositionOf(TorrentRuntime torrent) => _queue.PositionOf(torrent);

    /// <summary>Moves a torrent in the queue and lets the queue decide again (engine loop only).</summary>
    internal void MoveInQueue(TorrentRuntime torrent, Action<TorrentQueue<TorrentRuntime>, TorrentRuntime> move)
    {
        move(_queue, torrent);
        UpdateQueue();
        foreach (var other in _torrents)
        {
            other.RefreshStatus();
        }
    }

    /// <summary>Turns auto-management on or off and lets the queue decide again (engine loop only).</summary>
    internal void SetAutoManaged(TorrentRuntime torrent, bool autoManaged)
    {
        torrent.SetAutoManaged(autoManaged);
        UpdateQueue();
        torrent.RefreshStatus();
    }

    private void Enqueue(TorrentRuntime torrent)
    {
        _queue.Add(torrent);
        UpdateQueue();
    }

    private void Dequeue(TorrentRuntime torrent)
    {
        _queue.Remove(torrent);
        UpdateQueue();
    }

    private void SessionTick()
    {
        var now = Time.GetUtcNow();
        foreach (var torrent in _torrents)
        {
            torrent.SampleRates(now);
        }

        UpdateQueue();
        ResumeFolderTick(now);
        DhtItemsTick(now);
        Dht.Tick(now);
        Lsd.Tick(now);
    }

    /// <summary>Starts and stops auto-managed torrents as the queue decides (engine loop only).</summary>
    internal void UpdateQueue()
    {
        // A decision made while one is under way (a torrent paused or resumed below asked for it) gets its own collections.
        bool nested = _deciding;
        var candidates = nested ? [] : _queueCandidates;
        var run = nested ? [] : _queueRun;
        _deciding = true;
        try
        {
            Decide(candidates, run);
        }
        finally
        {
            if (!nested)
            {
                _deciding = false;
                candidates.Clear();
                run.Clear();
            }
        }
    }

    private void Decide(Dictionary<TorrentRuntime, QueueCandidate<TorrentRuntime>> candidates, HashSet<TorrentRuntime> run)
    {
        var now = Time.GetUtcNow();
        var order = _queue.Order;
        for (int i = 0; i < order.Count; i++)
        {
            var torrent = order[i];
            if (torrent.IsRemoved)
            {
                continue;
            }

            if (!torrent.AutoManaged || torrent.IsUserPaused || torrent.HasError)
            {
                if (torrent.IsQueued)
                {
                    torrent.ReleaseFromQueue();
                }

                continue;
            }

            bool complete = torrent.CurrentState is TorrentState.Finished or TorrentState.Seeding;
            candidates[torrent] = new QueueCandidate<TorrentRuntime>(torrent, AutoManaged: true, complete, Active: !torrent.IsQueued, torrent.IsSlow(now, complete));
        }

        _queue.Decide(candidates, Settings, run);
        foreach (var torrent in candidates.Keys)
        {
            if (!run.Contains(torrent))
            {
                torrent.QueuePause();
            }
        }

        foreach (var torrent in candidates.Keys)
        {
            if (run.Contains(torrent))
            {
                torrent.QueueResume();
            }
        }
    }
}
