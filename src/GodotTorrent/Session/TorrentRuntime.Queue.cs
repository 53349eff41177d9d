namespace GodotTorrent.Session;

/// <summary>
/// Queueing: an auto-managed torrent is started and stopped by the session's queue. A torrent
/// stopped by the queue is <see cref="IsQueued"/>, which is not a pause by the app
/// (<see cref="TorrentStatus.IsPaused"/>): the queue never resumes what the app paused.
/// </summary>
internal sealed partial class TorrentRuntime
{
    /// <summary>How long a torrent runs before it may count as slow.</summary>
    internal static readonly TimeSpan SlowGracePeriod = TimeSpan.FromMinutes(1);

    private readonly Queue<(DateTimeOffset At, long Down, long Up)> _rateSamples = new();
    private bool? _autoManaged;
    private DateTimeOffset _activeSince;

    public TorrentSession Session => _session;

    /// <summary>True when the queue starts and stops this torrent.</summary>
    public bool AutoManaged => _autoManaged ?? _params.AutoManaged;

    /// <summary>True while the queue holds the torrent back (waiting for a slot).</summary>
    public bool IsQueued => _lifecycle.IsQueued;

    public void SetAutoManaged(bool autoManaged) => _autoManaged = autoManaged;

    /// <summary>Stops transferring because the queue has no slot for the torrent.</summary>
    public void QueuePause()
    {
        if (!_lifecycle.SetQueued(true))
        {
            return;
        }

        if (!_lifecycle.IsPaused)
        {
            DisconnectAll(ErrorCode.ConnectionClosedLocally, "the torrent was queued");
            _ = StopTrackersAsync();
        }

        RefreshStatus();
    }

    /// <summary>Starts transferring because the queue gave the torrent a slot.</summary>
    public void QueueResume()
    {
        if (!_lifecycle.SetQueued(false))
        {
            return;
        }

        _activeSince = Now;
        _rateSamples.Clear();
        if (!_lifecycle.IsPaused && !_lifecycle.IsStopped)
        {
            foreach (var candidate in _candidates.Values)
            {
                if (candidate.Failures == 0)
                {
                    candidate.NextAttempt = default;
                }
            }

            ConnectToCandidates(Now);
            AnnounceIfDue(Now);
        }

        RefreshStatus();
    }

    /// <summary>Clears the queued flag without starting anything (the app paused the torrent, or stopped managing it).</summary>
    public void ReleaseFromQueue()
    {
        if (_lifecycle.IsPaused)
        {
            _lifecycle.SetQueued(false);
            RefreshStatus();
        }
        else
        {
            QueueResume();
        }
    }

    /// <summary>
    /// True when the torrent has run for the grace period and moved less than the slow-torrent
    /// rate (download while downloading, upload while complete) over the last minute.
    /// </summary>
    public bool IsSlow(DateTimeOffset now, bool complete)
    {
        if (_lifecycle.IsHalted || now - _activeSince < SlowGracePeriod || _rateSamples.Count == 0)
        {
            return false;
        }

        var (at, down, up) = _rateSamples.Peek();
        double seconds = (now - at).TotalSeconds;
        if (seconds < SlowGracePeriod.TotalSeconds / 2)
        {
            return false;
        }

        double rate = complete ? (_upload.Total - up) / seconds : (_download.Total - down) / seconds;
        return rate < (complete ? Settings.SlowTorrentUploadRate : Settings.SlowTorrentDownloadRate);
    }

    /// <summary>Keeps a minute of transfer totals to judge slowness.</summary>
    public void SampleRates(DateTimeOffset now)
    {
        if (_activeSince == default)
        {
            _activeSince = now;
        }

        _rateSamples.Enqueue((now, _download.Total, _upload.Total));
        while (_rateSamples.Count > 1 && now - _rateSamples.Peek().At > SlowGracePeriod)
        {
            _rateSamples.Dequeue();
        }
    }
}
