using GodotTorrent.Alerts;
using GodotTorrent.Torrent;

namespace GodotTorrent.Session;

/// <summary>Session statistics and the torrent updates a UI polls.</summary>
public sealed partial class TorrentSession
{
    private readonly SessionCounters _counters = new();
    private readonly Dictionary<TorrentRuntime, Torrent.StatusFingerprint> _reported = [];
    private long _retiredPayloadDownload;
    private long _retiredPayloadUpload;
    private long _retiredWireDownload;
    private long _retiredWireUpload;
    private long _retiredFailed;
    private long _retiredRedundant;

    internal SessionCounters Counters => _counters;

    internal DateTimeOffset StartedAt { get; private set; }

    /// <summary>A snapshot of every session counter, taken on the engine loop.</summary>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public Task<SessionStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        Loop.InvokeAsync(BuildStatistics).WaitAsync(cancellationToken);

    /// <summary>
    /// Posts a <see cref="SessionStatsAlert"/> with a snapshot of every counter (the original
    /// API's <c>post_session_stats</c>). Returns at once; the alert follows from the engine loop.
    /// Enable <see cref="AlertCategory.Stats"/> in the alert mask to receive it.
    /// </summary>
    public void PostSessionStats() => Loop.Post(_ => Alerts.Post(new SessionStatsAlert(BuildStatistics())), null);

    /// <summary>
    /// Posts one <see cref="StateUpdateAlert"/> holding status snapshots of the torrents whose
    /// status changed since the previous call (every torrent on the first call). As libtorrent's
    /// <c>post_torrent_updates</c>, the alert is posted even when nothing changed (with an empty
    /// list), so a UI that waits for it is never left hanging. "Changed" compares a cheap
    /// fingerprint: state, paused and queued flags, queue position, pieces, rates, payload
    /// totals, peers, error, name and save path. Needs <see cref="AlertCategory.Status"/>.
    /// </summary>
    public void PostTorrentUpdates() => Loop.Post(_ => Alerts.Post(new StateUpdateAlert(CollectTorrentUpdates())), null);

    private List<TorrentStatus> CollectTorrentUpdates()
    {
        var changed = new List<TorrentStatus>();
        foreach (var torrent in _torrents)
        {
            var fingerprint = torrent.Fingerprint();
            if (_reported.TryGetValue(torrent, out var previous) && previous == fingerprint)
            {
                continue;
            }

            _reported[torrent] = fingerprint;
            changed.Add(torrent.RefreshStatus());
        }

        foreach (var gone in _reported.Keys.Where(t => t.IsRemoved).ToList())
        {
            _reported.Remove(gone);
        }

        return changed;
    }

    private void Retire(TorrentRuntime torrent)
    {
        _retiredPayloadDownload += torrent.PayloadDownloadTotal;
        _retiredPayloadUpload += torrent.PayloadUploadTotal;
        _retiredWireDownload += torrent.WireDownloadTotal;
        _retiredWireUpload += torrent.WireUploadTotal;
        _retiredFailed += torrent.FailedBytes;
        _retiredRedundant += torrent.RedundantBytes;
        _reported.Remove(torrent);
    }

    private SessionStatistics BuildStatistics()
    {
        long payloadDown = _retiredPayloadDownload, payloadUp = _retiredPayloadUpload;
        long wireDown = _retiredWireDownload, wireUp = _retiredWireUpload;
        long failed = _retiredFailed, redundant = _retiredRedundant, downRate = 0, upRate = 0;
        int peers = 0, known = 0, checking = 0, downloading = 0, finished = 0, seeding = 0, paused = 0, error = 0, queued = 0;
        foreach (var torrent in _torrents)
        {
            payloadDown += torrent.PayloadDownloadTotal;
            payloadUp += torrent.PayloadUploadTotal;
            wireDown += torrent.WireDownloadTotal;
            wireUp += torrent.WireUploadTotal;
            failed += torrent.FailedBytes;
            redundant += torrent.RedundantBytes;
            downRate += torrent.DownloadRateNow;
            upRate += torrent.UploadRateNow;
            peers += torrent.PeerConnectionCount;
            known += torrent.CandidateCount;
            if (torrent.HasError)
            {
                error++;
            }
            else if (torrent.IsUserPaused)
            {
                paused++;
            }
            else if (torrent.IsQueued)
            {
                queued++;
            }

            switch (torrent.CurrentState)
            {
                case TorrentState.QueuedForChecking or TorrentState.CheckingFiles or TorrentState.CheckingResumeData:
                    checking++;
                    break;
                case TorrentState.DownloadingMetadata or TorrentState.Downloading:
                    downloading++;
                    break;
                case TorrentState.Finished:
                    finished++;
                    break;
                case TorrentState.Seeding:
                    seeding++;
                    break;
                default:
                    break;
            }
        }

        var now = Time.GetUtcNow();
        var dht = Dht.Statistics;
        return new SessionStatistics
        {
            Timestamp = now,
            Uptime = StartedAt == default ? TimeSpan.Zero : now - StartedAt,
            PayloadBytesDownloaded = payloadDown,
            PayloadBytesUploaded = payloadUp,
            BytesDownloaded = wireDown,
            BytesUploaded = wireUp,
            DownloadRate = downRate,
            UploadRate = upRate,
            PeersConnected = peers,
            HalfOpenConnections = HalfOpen,
            OutgoingConnections = _counters.OutgoingConnections,
            IncomingConnections = _counters.IncomingConnections,
            ConnectFailures = _counters.ConnectFailures,
            ProtocolErrors = _counters.ProtocolErrors,
            PeersBanned = _counters.PeersBanned,
            PeersEvicted = _counters.PeersEvicted,
            EncryptedConnections = _counters.EncryptedConnections,
            UtpConnections = _counters.UtpConnections,
            UtpDatagramsDropped = Utp.Sockets.Sum(s => s.Statistics.Dropped),
            KnownPeers = known,
            Torrents = _torrents.Count,
            TorrentsChecking = checking,
            TorrentsDownloading = downloading,
            TorrentsFinished = finished,
            TorrentsSeeding = seeding,
            TorrentsPaused = paused,
            TorrentsError = error,
            TorrentsQueued = queued,
            DiskBytesRead = _counters.DiskBytesRead,
            DiskBytesWritten = _counters.DiskBytesWritten,
            DiskQueueBytes = Disk.BufferedBytes,
            PiecesVerified = _counters.PiecesVerified,
            HashFailures = _counters.HashFailures,
            RedundantBytes = redundant,
            FailedBytes = failed,
            AlertsDropped = Alerts.DroppedCount,
            DhtNodes = dht.Nodes + dht.Nodes6,
            DhtLookups = dht.LookupsStarted,
            DhtBytesIn = dht.BytesReceived,
            DhtBytesOut = dht.BytesSent,
        };
    }
}
