using GodotTorrent.Torrent;

namespace GodotTorrent.Session;

/// <summary>Status snapshots and the waiters that watch them.</summary>
internal sealed partial class TorrentRuntime
{
    public TorrentStatus RefreshStatus()
    {
        var status = BuildStatus();
        _latestStatus = status;
        _waiters.Notify(status);
        return status;
    }

    private TorrentStatus BuildStatus()
    {
        long totalSize = Torrent?.TotalSize ?? 0;
        var (done, wanted, wantedDone) = TorrentProgress.Of(Torrent, _fileDone, _filePriorities);
        long downloadRate = _download.Rate();
        long remaining = wanted - wantedDone;
        var state = _lifecycle.PublicState;
        return new TorrentStatus
        {
            InfoHashes = InfoHashes,
            Name = Name,
            State = state,
            IsPaused = _lifecycle.IsPaused,
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
            KnownPeerCount = _peerList.Count,
            KnownSeedCount = _peerList.Candidates.Count(c => c.WasSeed) + _peers.Values.Count(p => p.HasAll && p.Candidate is not { WasSeed: true }),
            ConnectCandidates = _peerList.CountDialable(Now),
            ActiveTime = _activity.ActiveTime,
            SeedingTime = _activity.SeedingTime,
            TimeSinceDownload = _activity.LastPayloadIn is { } lastIn ? Now - lastIn : null,
            TimeSinceUpload = _activity.LastPayloadOut is { } lastOut ? Now - lastOut : null,
            PiecesInProgress = _writer?.PartialPieceCount ?? 0,
            PiecesDone = _have.SetCount,
            PieceCount = Torrent?.PieceCount ?? 0,
            Pieces = _have.Clone(),
            DistributedCopies = _peers.Count == 0 ? 0 : _picker?.DistributedCopies() ?? 0,
            Eta = state == TorrentState.Downloading && downloadRate > 0 ? TimeSpan.FromSeconds(remaining / (double)downloadRate) : null,
            IsFinished = state is TorrentState.Finished or TorrentState.Seeding,
            IsSeeding = state == TorrentState.Seeding,
            SequentialDownload = _picker?.Sequential ?? _params.SequentialDownload,
            UploadOnly = _uploadOnly,
            Error = _lifecycle.Error,
            ErrorMessage = _lifecycle.ErrorMessage,
            AddedTime = AddedTime,
            CompletedTime = _completedTime,
        };
    }
}
