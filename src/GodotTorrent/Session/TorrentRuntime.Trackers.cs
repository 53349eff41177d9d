using GodotTorrent.Trackers;

namespace GodotTorrent.Session;

/// <summary>Announcing to the torrent's trackers (only those the torrent or the app gave) and using their peers.</summary>
internal sealed partial class TorrentRuntime : IDisposable
{
    private static readonly TimeSpan StoppedAnnounceDeadline = TimeSpan.FromSeconds(3);

    private TrackerManager? _trackers;
    private bool _announcing;
    private bool _startedSent;
    private bool _completedPending;

    /// <summary>Frees the tracker clients' state; called once the torrent has stopped.</summary>
    public void Dispose() => _trackers?.Dispose();

    public IReadOnlyList<TrackerStatus> GetTrackers() => _trackers?.GetStatus() ?? [];

    public void AddTracker(string url, int tier)
    {
        EnsureTrackers();
        _trackers!.AddTracker(url, tier);
        _trackers.ForceReannounce();
    }

    public bool RemoveTracker(string url) => _trackers?.RemoveTracker(url) ?? false;

    public void ReplaceTrackers(IReadOnlyList<IReadOnlyList<string>> tiers)
    {
        EnsureTrackers();
        _trackers!.ReplaceTrackers(tiers);
    }

    public void ForceReannounce()
    {
        _trackers?.ForceReannounce(ignoreMinInterval: true);
        AnnounceIfDue(Now);
    }

    public async Task<IReadOnlyList<TrackerStatus>> ScrapeAsync()
    {
        if (_trackers is null)
        {
            return [];
        }

        var outcome = await _trackers.ScrapeAsync().ConfigureAwait(true);
        PostTrackerEvents(outcome.Events);
        return _trackers.GetStatus();
    }

    private void InitializeTrackers()
    {
        // The magnet's trackers until the metadata is known; then the torrent's own, plus the magnet's
        // only when the torrent is not private (BEP 27: a private torrent uses only its own trackers).
        var tiers = Torrent is null
            ? (_params.Magnet?.Trackers.Select(t => (IReadOnlyList<string>)[t]).ToList() ?? [])
            : Torrent.IsPrivate || _params.Magnet is null
                ? Torrent.Trackers.ToList()
                : [.. Torrent.Trackers, .. _params.Magnet.Trackers.Where(t => !Torrent.Trackers.Any(tier => tier.Contains(t))).Select(t => (IReadOnlyList<string>)[t])];
        if (tiers.Count == 0 && _trackers is null)
        {
            return;
        }

        if (_trackers is null)
        {
            _trackers = new TrackerManager(tiers, InfoHashes, _session.PeerId.ToArray(), () => _session.ListenPort, _session.TrackerClients,
                _session.TrackerOptions, _session.Time, _session.Services.CreateRandom(), _logger);
        }
        else
        {
            _trackers.ReplaceTrackers(tiers);
        }
    }

    private void EnsureTrackers()
    {
        InitializeTrackers();
        _trackers ??= new TrackerManager([], InfoHashes, _session.PeerId.ToArray(), () => _session.ListenPort, _session.TrackerClients,
            _session.TrackerOptions, _session.Time, _session.Services.CreateRandom(), _logger);
    }

    private TransferStats Stats()
    {
        var status = _latestStatus;
        long left = Torrent is null ? 0 : Math.Max(0, status.TotalWanted - status.TotalWantedDone);
        return new TransferStats(_upload.Total, _download.Total, left);
    }

    private void AnnounceIfDue(DateTimeOffset now)
    {
        if (_trackers is null || _announcing || !MayAnnounce)
        {
            return;
        }

        AnnounceEvent announceEvent;
        if (!_startedSent)
        {
            announceEvent = AnnounceEvent.Started;
        }
        else if (_completedPending)
        {
            announceEvent = AnnounceEvent.Completed;
        }
        else if (_trackers.IsAnnounceDue(now))
        {
            announceEvent = AnnounceEvent.None;
        }
        else
        {
            return;
        }

        _ = AnnounceAsync(announceEvent);
    }

    private async Task AnnounceAsync(AnnounceEvent announceEvent)
    {
        _announcing = true;
        try
        {
            var outcome = await _trackers!.AnnounceAsync(announceEvent, Stats()).ConfigureAwait(true);
            _startedSent = true;
            if (announceEvent == AnnounceEvent.Completed)
            {
                _completedPending = false;
            }

            PostTrackerEvents(outcome.Events);
            if (_lifecycle.IsStopped)
            {
                return;
            }

            _trackerPeers!.OnAnnounced(outcome.Peers);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _announcing = false;
        }
    }

    private void PostTrackerEvents(IReadOnlyList<TrackerEvent> events)
    {
        foreach (var trackerEvent in events)
        {
            _session.Alerts.Post(trackerEvent.ToAlert(Handle));
        }
    }

    private async Task StopTrackersAsync()
    {
        if (_trackers is null || !_startedSent)
        {
            return;
        }

        try
        {
            var outcome = await _trackers.StopAsync(Stats(), StoppedAnnounceDeadline).ConfigureAwait(true);
            PostTrackerEvents(outcome.Events);
            _startedSent = false;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
