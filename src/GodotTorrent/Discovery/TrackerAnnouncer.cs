using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Trackers;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Discovery;

/// <summary>
/// One torrent's announce schedule on top of its <see cref="TrackerManager"/>: the started,
/// completed and stopped events, tracker alerts and scrapes. Each announce's peers go out
/// through <see cref="PeerSource"/>. Engine loop only.
/// </summary>
internal sealed class TrackerAnnouncer : IDisposable
{
    private static readonly TimeSpan StoppedAnnounceDeadline = TimeSpan.FromSeconds(3);

    private readonly TorrentSession _session;
    private readonly ITrackerAnnouncerHost _host;
    private readonly InfoHashes _infoHashes;
    private readonly ILogger _logger;
    private TrackerManager? _trackers;
    private bool _announcing;
    private bool _startedSent;

    public TrackerAnnouncer(TorrentSession session, ITrackerAnnouncerHost host, InfoHashes infoHashes, IPeerSink sink, ILogger logger)
    {
        _session = session;
        _host = host;
        _infoHashes = infoHashes;
        _logger = logger;
        PeerSource = new TrackerPeerSource(sink, () => session.ListenEndPoints);
    }

    /// <summary>
    /// The magnet's trackers until the metadata is known; then the torrent's own, plus the magnet's
    /// only when the torrent is not private (BEP 27: a private torrent uses only its own trackers).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> TiersFor(TorrentInfo? torrent, MagnetLink? magnet) =>
        torrent is null
            ? (magnet?.Trackers.Select(t => (IReadOnlyList<string>)[t]).ToList() ?? [])
            : torrent.IsPrivate || magnet is null
                ? torrent.Trackers.ToList()
                : [.. torrent.Trackers, .. magnet.Trackers.Where(t => !torrent.Trackers.Any(tier => tier.Contains(t))).Select(t => (IReadOnlyList<string>)[t])];

    /// <summary>Where announced peers are delivered; the torrent adds it to its peer sources.</summary>
    public TrackerPeerSource PeerSource { get; }

    /// <summary>True from the download finishing until a tracker heard the completed event.</summary>
    public bool CompletedPending { get; set; }

    /// <summary>Frees the tracker clients' state; called once the torrent has stopped.</summary>
    public void Dispose() => _trackers?.Dispose();

    public IReadOnlyList<TrackerStatus> GetTrackers() => _trackers?.GetStatus() ?? [];

    /// <summary>Uses <paramref name="tiers"/> from now on; no trackers are created for an empty list.</summary>
    public void SetTiers(IReadOnlyList<IReadOnlyList<string>> tiers)
    {
        if (tiers.Count == 0 && _trackers is null)
        {
            return;
        }

        if (_trackers is null)
        {
            _trackers = CreateManager(tiers);
        }
        else
        {
            _trackers.ReplaceTrackers(tiers);
        }
    }

    public void AddTracker(string url, int tier)
    {
        _trackers ??= CreateManager([]);
        _trackers.AddTracker(url, tier);
        _trackers.ForceReannounce();
    }

    public bool RemoveTracker(string url) => _trackers?.RemoveTracker(url) ?? false;

    public void ReplaceTrackers(IReadOnlyList<IReadOnlyList<string>> tiers)
    {
        _trackers ??= CreateManager([]);
        _trackers.ReplaceTrackers(tiers);
    }

    public void ForceReannounce(DateTimeOffset now)
    {
        _trackers?.ForceReannounce(ignoreMinInterval: true);
        AnnounceIfDue(now);
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

    public void AnnounceIfDue(DateTimeOffset now)
    {
        if (_trackers is null || _announcing || !_host.MayAnnounce)
        {
            return;
        }

        AnnounceEvent announceEvent;
        if (!_startedSent)
        {
            announceEvent = AnnounceEvent.Started;
        }
        else if (CompletedPending)
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

    /// <summary>Sends the stopped event (bounded by a short deadline) if the trackers heard we started.</summary>
    public async Task StopAsync()
    {
        if (_trackers is null || !_startedSent)
        {
            return;
        }

        try
        {
            var outcome = await _trackers.StopAsync(_host.TransferStats, StoppedAnnounceDeadline).ConfigureAwait(true);
            PostTrackerEvents(outcome.Events);
            _startedSent = false;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task AnnounceAsync(AnnounceEvent announceEvent)
    {
        _announcing = true;
        try
        {
            var outcome = await _trackers!.AnnounceAsync(announceEvent, _host.TransferStats).ConfigureAwait(true);
            _startedSent = true;
            if (announceEvent == AnnounceEvent.Completed)
            {
                CompletedPending = false;
            }

            PostTrackerEvents(outcome.Events);
            if (_host.IsStopped)
            {
                return;
            }

            PeerSource.OnAnnounced(outcome.Peers);
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
            _session.Alerts.Post(trackerEvent.ToAlert(_host.Handle));
        }
    }

    private TrackerManager CreateManager(IReadOnlyList<IReadOnlyList<string>> tiers) =>
        new(tiers, _infoHashes, _session.PeerId.ToArray(), () => _session.AnnouncePort, _session.TrackerClients,
            _session.TrackerOptions, _session.Time, _session.Services.CreateRandom(), _logger);
}
