using GodotTorrent.Dht;
using GodotTorrent.Torrent;

namespace GodotTorrent.Session;

/// <summary>Adds up the session's counters for <see cref="SessionStatistics"/>, including the totals of torrents already removed.</summary>
internal sealed class SessionStatisticsBuilder
{
    private long _retiredPayloadDownload;
    private long _retiredPayloadUpload;
    private long _retiredWireDownload;
    private long _retiredWireUpload;
    private long _retiredFailed;
    private long _retiredRedundant;
    private long _retiredWebSeed;

    /// <summary>Keeps the totals of a torrent that leaves the session.</summary>
    public void Retire(TorrentRuntime torrent)
    {
        _retiredPayloadDownload += torrent.PayloadDownloadTotal;
        _retiredPayloadUpload += torrent.PayloadUploadTotal;
        _retiredWireDownload += torrent.WireDownloadTotal;
        _retiredWireUpload += torrent.WireUploadTotal;
        _retiredFailed += torrent.FailedBytes;
        _retiredRedundant += torrent.RedundantBytes;
        _retiredWebSeed += torrent.WebSeedBytes;
    }

    /// <summary>One snapshot of every counter; on the engine loop.</summary>
    public SessionStatistics Build(
        IReadOnlyCollection<TorrentRuntime> torrents,
        DateTimeOffset now,
        DateTimeOffset startedAt,
        int halfOpen,
        SessionCounters counters,
        long utpDatagramsDropped,
        long diskQueueBytes,
        long alertsDropped,
        DhtStatistics dht)
    {
        long payloadDown = _retiredPayloadDownload, payloadUp = _retiredPayloadUpload;
        long wireDown = _retiredWireDownload, wireUp = _retiredWireUpload;
        long failed = _retiredFailed, redundant = _retiredRedundant, webSeed = _retiredWebSeed, downRate = 0, upRate = 0;
        int peers = 0, known = 0, checking = 0, downloading = 0, finished = 0, seeding = 0, paused = 0, error = 0, queued = 0;
        foreach (var torrent in torrents)
        {
            payloadDown += torrent.PayloadDownloadTotal;
            payloadUp += torrent.PayloadUploadTotal;
            wireDown += torrent.WireDownloadTotal;
            wireUp += torrent.WireUploadTotal;
            failed += torrent.FailedBytes;
            redundant += torrent.RedundantBytes;
            webSeed += torrent.WebSeedBytes;
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

        return new SessionStatistics
        {
            Timestamp = now,
            Uptime = startedAt == default ? TimeSpan.Zero : now - startedAt,
            PayloadBytesDownloaded = payloadDown,
            PayloadBytesUploaded = payloadUp,
            BytesDownloaded = wireDown,
            BytesUploaded = wireUp,
            DownloadRate = downRate,
            UploadRate = upRate,
            PeersConnected = peers,
            HalfOpenConnections = halfOpen,
            OutgoingConnections = counters.OutgoingConnections,
            IncomingConnections = counters.IncomingConnections,
            ConnectFailures = counters.ConnectFailures,
            ProtocolErrors = counters.ProtocolErrors,
            PeersBanned = counters.PeersBanned,
            PeersEvicted = counters.PeersEvicted,
            EncryptedConnections = counters.EncryptedConnections,
            UtpConnections = counters.UtpConnections,
            UtpDatagramsDropped = utpDatagramsDropped,
            KnownPeers = known,
            Torrents = torrents.Count,
            TorrentsChecking = checking,
            TorrentsDownloading = downloading,
            TorrentsFinished = finished,
            TorrentsSeeding = seeding,
            TorrentsPaused = paused,
            TorrentsError = error,
            TorrentsQueued = queued,
            DiskBytesRead = counters.DiskBytesRead,
            DiskBytesWritten = counters.DiskBytesWritten,
            DiskQueueBytes = diskQueueBytes,
            PiecesVerified = counters.PiecesVerified,
            HashFailures = counters.HashFailures,
            RedundantBytes = redundant,
            WebSeedBytesDownloaded = webSeed,
            FailedBytes = failed,
            AlertsDropped = alertsDropped,
            DhtNodes = dht.Nodes + dht.Nodes6,
            DhtLookups = dht.LookupsStarted,
            DhtBytesIn = dht.BytesReceived,
            DhtBytesOut = dht.BytesSent,
        };
    }
}
