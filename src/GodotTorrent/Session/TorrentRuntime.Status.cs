namespace GodotTorrent.Session;

/// <summary>Status snapshots and the waiters that watch them.</summary>
internal sealed partial class TorrentRuntime
{
    // An idle torrent's snapshot differs from the last one only in its clocks (active and seeding
    // time). Rebuilding it every second for each of 1,000 idle torrents was most of what an idle
    // session allocated, and with a GC that collects rarely that became RSS (step 08 item 6).
    private static readonly TimeSpan IdleStatusInterval = TimeSpan.FromSeconds(30);

    private StatusFingerprint _statusFingerprint;
    private int _statusConnectCandidates;
    private DateTimeOffset _statusBuiltAt;

    public TorrentStatus RefreshStatus()
    {
        var status = BuildStatus();
        _latestStatus = status;
        _statusFingerprint = Fingerprint();
        _statusConnectCandidates = status.ConnectCandidates;
        _statusBuiltAt = Now;
        if (_waiters.Count > 0)
        {
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                var (predicate, completion) = _waiters[i];
                if (completion.Task.IsCompleted || predicate(status))
                {
                    completion.TrySetResult(status);
                    _waiters.RemoveAt(i);
                }
            }
        }

        return status;
    }

    /// <summary>
    /// The tick's refresh: skipped while nothing but the clocks moved (no peers, no waiters, the same
    /// fingerprint), so the clocks of an idle torrent's <see cref="LatestStatus"/> lag by up to
    /// <see cref="IdleStatusInterval"/>; <see cref="TorrentHandle.GetStatusAsync"/> is always fresh.
    /// </summary>
    private void RefreshStatusIfChanged(DateTimeOffset now)
    {
        if (_peers.Count == 0 && _waiters.Count == 0 && now - _statusBuiltAt < IdleStatusInterval
            && CountConnectCandidates(now) == _statusConnectCandidates && Fingerprint() == _statusFingerprint)
        {
            return;
        }

        RefreshStatus();
    }

    private int CountConnectCandidates(DateTimeOffset now)
    {
        int count = 0;
        foreach (var candidate in _candidates.Values)
        {
            count += !candidate.Connected && !candidate.Connecting && !candidate.Banned && candidate.NextAttempt <= now ? 1 : 0;
        }

        return count;
    }

    private TorrentStatus BuildStatus()
    {
        long totalSize = Torrent?.TotalSize ?? 0;
        long done = 0, wanted = 0, wantedDone = 0;
        if (Torrent is not null && _fileDone.Length == Torrent.Files.Count)
        {
            foreach (var file in Torrent.Files)
            {
                if (file.IsPad)
                {
                    continue;
                }

                done += _fileDone[file.Index];
                if (_filePriorities[file.Index] != Priority.Skip)
                {
                    wanted += file.Length;
                    wantedDone += _fileDone[file.Index];
                }
            }
        }
        else
        {
            wanted = totalSize;
        }

        long downloadRate = _download.Rate();
        long remaining = wanted - wantedDone;
        var state = _error != ErrorCode.None ? TorrentState.Error : _state;
        return new TorrentStatus
        {
            InfoHashes = InfoHashes,
            Name = Name,
            State = state,
            IsPaused = _paused,
            IsQueued = IsQueued,
            AutoManaged = AutoManaged,
            QueuePosition = _session.QueuePositionOf(this),
            SavePath = SavePath,
            HasMetadata = Torrent is not null,
            Progress = wanted == 0 ? (state is TorrentState.Seeding or TorrentState.Finished ? 1 : 0) : (double)wantedDone / wanted,
            TotalDone = done,
            TotalWanted = wanted,
            TotalWantedDone = wantedDone,
            TotalSize = totalSize,
            TotalPayloadDownload = _download.Total,
            TotalPayloadUpload = _upload.Total,
            TotalDownload = WireDownloadTotal,
            TotalUpload = WireUploadTotal,
            AllTimeDownload = (_params.ResumeData?.TotalDownloaded ?? 0) + _download.Total,
            AllTimeUpload = (_params.ResumeData?.TotalUploaded ?? 0) + _upload.Total,
            TotalFailedBytes = _failedBytes,
            TotalRedundantBytes = _redundantBytes,
            DownloadRate = downloadRate,
            UploadRate = _upload.Rate(),
            PeerCount = _peers.Count,
            SeedCount = _peers.Values.Count(p => p.HasAll),
            KnownPeerCount = _candidates.Count,
            KnownSeedCount = _candidates.Values.Count(c => c.WasSeed) + _peers.Values.Count(p => p.HasAll && p.Candidate is not { WasSeed: true }),
            ConnectCandidates = CountConnectCandidates(Now),
            ActiveTime = _activeTime,
            SeedingTime = _seedingTime,
            TimeSinceDownload = _lastPayloadIn is { } lastIn ? Now - lastIn : null,
            TimeSinceUpload = _lastPayloadOut is { } lastOut ? Now - lastOut : null,
            PiecesInProgress = _writer?.PartialPieceCount ?? 0,
            PiecesDone = _have.SetCount,
            PieceCount = Torrent?.PieceCount ?? 0,
            // Unchanged pieces share the last snapshot's copy: a big torrent's bitfield is not copied every second.
            Pieces = _latestStatus?.Pieces is { } last && last.Equals(_have) ? last : _have.Clone(),
            DistributedCopies = DistributedCopies(),
            Eta = state == TorrentState.Downloading && downloadRate > 0 ? TimeSpan.FromSeconds(remaining / (double)downloadRate) : null,
            IsFinished = state is TorrentState.Finished or TorrentState.Seeding,
            IsSeeding = state == TorrentState.Seeding,
            SequentialDownload = _picker?.Sequential ?? _params.SequentialDownload,
            UploadOnly = _uploadOnly,
            Error = _error,
            ErrorMessage = _errorMessage,
            AddedTime = AddedTime,
            CompletedTime = _completedTime,
        };
    }

    // libtorrent's distributed copies: the rarest piece's count, plus the share of pieces above it.
    private double DistributedCopies()
    {
        if (_picker is null || _picker.PieceCount == 0 || _peers.Count == 0)
        {
            return 0;
        }

        int min = int.MaxValue, above = 0;
        for (int i = 0; i < _picker.PieceCount; i++)
        {
            min = Math.Min(min, _picker.Availability(i));
        }

        for (int i = 0; i < _picker.PieceCount; i++)
        {
            if (_picker.Availability(i) > min)
            {
                above++;
            }
        }

        return min + ((double)above / _picker.PieceCount);
    }
}
