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
    }

    /// <summary>Starts and stops auto-managed torrents as the queue decides (engine loop only).</summary>
    internal void UpdateQueue()
    {
        var now = Time.GetUtcNow();
        var candidates = new Dictionary<TorrentRuntime, QueueCandidate<TorrentRuntime>>();
        foreach (var torrent in _queue.Order)
        {
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

        var run = _queue.Decide(candidates, Settings);
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
