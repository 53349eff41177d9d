using GodotTorrent.Session;

namespace GodotTorrent.Torrent;

/// <summary>
/// Queueing: an auto-managed torrent is started and stopped by the session's queue. A torrent
/// stopped by the queue is <see cref="IsQueued"/>, which is not a pause by the app
/// (<see cref="TorrentStatus.IsPaused"/>): the queue never resumes what the app paused.
/// </summary>
internal sealed partial class TorrentRuntime
{
    private bool? _autoManaged;

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

        _activity.Started(Now);
        if (!_lifecycle.IsPaused && !_lifecycle.IsStopped)
        {
            _peerList.ResetReconnectDelays();

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
    public bool IsSlow(DateTimeOffset now, bool complete) =>
        !_lifecycle.IsHalted
        && _activity.IsSlow(now, complete, _download.Total, _upload.Total, complete ? Settings.SlowTorrentUploadRate : Settings.SlowTorrentDownloadRate);

    /// <summary>Keeps a minute of transfer totals to judge slowness.</summary>
    public void SampleRates(DateTimeOffset now) => _activity.SampleRates(now, _download.Total, _upload.Total);
}
