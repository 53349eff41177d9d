using GodotTorrent.Discovery;
using GodotTorrent.Peers;
using GodotTorrent.Session;
using GodotTorrent.Swarm;

namespace GodotTorrent.Torrent;

/// <summary>
/// Queueing: an auto-managed torrent is started and stopped by the session's queue. A torrent
/// stopped by the queue is queued, which is not a pause by the app
/// (<see cref="TorrentStatus.IsPaused"/>): the queue never resumes what the app paused.
/// </summary>
internal sealed class TorrentQueueing(
    TorrentSession session,
    TorrentLifecycle lifecycle,
    TorrentActivity activity,
    TorrentConnections connections,
    TrackerAnnouncer announcer,
    PeerList peerList,
    RateMeter download,
    RateMeter upload,
    bool autoManaged,
    Action refreshStatus)
{
    private bool? _autoManaged;

    /// <summary>True when the queue starts and stops this torrent.</summary>
    public bool AutoManaged => _autoManaged ?? autoManaged;

    public void SetAutoManaged(bool value) => _autoManaged = value;

    /// <summary>Stops transferring because the queue has no slot for the torrent.</summary>
    public void QueuePause()
    {
        if (!lifecycle.SetQueued(true))
        {
            return;
        }

        if (!lifecycle.IsPaused)
        {
            connections.DisconnectAll(ErrorCode.ConnectionClosedLocally, "the torrent was queued");
            _ = announcer.StopAsync();
        }

        refreshStatus();
    }

    /// <summary>Starts transferring because the queue gave the torrent a slot.</summary>
    public void QueueResume()
    {
        if (!lifecycle.SetQueued(false))
        {
            return;
        }

        activity.Started(session.Time.GetUtcNow());
        if (!lifecycle.IsPaused && !lifecycle.IsStopped)
        {
            peerList.ResetReconnectDelays();

            connections.ConnectToCandidates(session.Time.GetUtcNow());
            announcer.AnnounceIfDue(session.Time.GetUtcNow());
        }

        refreshStatus();
    }

    /// <summary>Clears the queued flag without starting anything (the app paused the torrent, or stopped managing it).</summary>
    public void ReleaseFromQueue()
    {
        if (lifecycle.IsPaused)
        {
            lifecycle.SetQueued(false);
            refreshStatus();
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
        !lifecycle.IsHalted
        && activity.IsSlow(now, complete, download.Total, upload.Total, complete ? session.Settings.SlowTorrentUploadRate : session.Settings.SlowTorrentDownloadRate);

    /// <summary>Keeps a minute of transfer totals to judge slowness.</summary>
    public void SampleRates(DateTimeOffset now) => activity.SampleRates(now, download.Total, upload.Total);
}
