using GodotTorrent.Discovery;
using GodotTorrent.Session;
using GodotTorrent.Trackers;

namespace GodotTorrent.Torrent;

/// <summary>Announcing to the torrent's trackers (only those the torrent or the app gave) through <see cref="TrackerAnnouncer"/>.</summary>
internal sealed partial class TorrentRuntime : ITrackerAnnouncerHost, IDisposable
{
    private readonly TrackerAnnouncer _announcer;

    /// <summary>Set when the download finished: the next announce carries the completed event.</summary>
    private bool _completedPending
    {
        get => _announcer.CompletedPending;
        set => _announcer.CompletedPending = value;
    }

    /// <summary>Frees the tracker clients' state; called once the torrent has stopped.</summary>
    public void Dispose() => _announcer.Dispose();

    public IReadOnlyList<TrackerStatus> GetTrackers() => _announcer.GetTrackers();

    public void AddTracker(string url, int tier)
    {
        InitializeTrackers();
        _announcer.AddTracker(url, tier);
    }

    public bool RemoveTracker(string url) => _announcer.RemoveTracker(url);

    public void ReplaceTrackers(IReadOnlyList<IReadOnlyList<string>> tiers)
    {
        InitializeTrackers();
        _announcer.ReplaceTrackers(tiers);
    }

    public void ForceReannounce() => _announcer.ForceReannounce(Now);

    public Task<IReadOnlyList<TrackerStatus>> ScrapeAsync() => _announcer.ScrapeAsync();

    private void InitializeTrackers() => _announcer.SetTiers(TrackerAnnouncer.TiersFor(Torrent, _params.Magnet));

    private void AnnounceIfDue(DateTimeOffset now) => _announcer.AnnounceIfDue(now);

    private Task StopTrackersAsync() => _announcer.StopAsync();

    bool ITrackerAnnouncerHost.MayAnnounce => MayAnnounce;

    bool ITrackerAnnouncerHost.IsStopped => _lifecycle.IsStopped;

    TransferStats ITrackerAnnouncerHost.TransferStats
    {
        get
        {
            var status = _latestStatus;
            long left = Torrent is null ? 0 : Math.Max(0, status.TotalWanted - status.TotalWantedDone);
            return new TransferStats(_upload.Total, _download.Total, left);
        }
    }
}
