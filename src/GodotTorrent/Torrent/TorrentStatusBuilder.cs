using GodotTorrent.Peers;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Session;
using GodotTorrent.Swarm;

namespace GodotTorrent.Torrent;

/// <summary>
/// Builds a torrent's status snapshot and the fingerprint that tells whether it changed, from
/// the torrent's long-lived parts and its <see cref="ITorrentStatusSource"/>. Engine loop only.
/// </summary>
internal sealed class TorrentStatusBuilder(
    ITorrentStatusSource source,
    TorrentLifecycle lifecycle,
    TorrentActivity activity,
    RateMeter download,
    RateMeter upload,
    IReadOnlyCollection<PeerConnection> peers,
    PeerList peerList,
    TimeProvider time)
{
    public TorrentStatus Build()
    {
        var now = time.GetUtcNow();
        var torrent = source.Torrent;
        var (done, wanted, wantedDone) = source.Progress;
        long downloadRate = download.Rate();
        long remaining = wanted - wantedDone;
        var state = lifecycle.PublicState;
        var pieces = source.Pieces;
        return new TorrentStatus
        {
            InfoHashes = source.InfoHashes,
            Name = source.Name,
            State = state,
            IsPaused = lifecycle.IsPaused,
            IsQueued = source.IsQueued,
            AutoManaged = source.AutoManaged,
            QueuePosition = source.QueuePosition,
            SavePath = source.SavePath,
            HasMetadata = torrent is not null,
            Progress = wanted == 0 ? (state is TorrentState.Seeding or TorrentState.Finished ? 1 : 0) : (double)wantedDone / wanted,
            TotalDone = done,
            TotalWanted = wanted,
            TotalWantedDone = wantedDone,
            TotalSize = torrent?.TotalSize ?? 0,
            TotalPayloadDownload = download.Total,
            TotalPayloadUpload = upload.Total,
            TotalDownload = source.WireDownloadTotal,
            TotalUpload = source.WireUploadTotal,
            AllTimeDownload = (source.InitialResumeData?.TotalDownloaded ?? 0) + download.Total,
            AllTimeUpload = (source.InitialResumeData?.TotalUploaded ?? 0) + upload.Total,
            TotalFailedBytes = source.FailedBytes,
            TotalRedundantBytes = source.RedundantBytes,
            WebSeedBytesDownloaded = source.WebSeedBytes,
            DownloadRate = downloadRate,
            UploadRate = upload.Rate(),
            PeerCount = peers.Count,
            SeedCount = peers.Count(p => p.HasAll),
            KnownPeerCount = peerList.Count,
            KnownSeedCount = peerList.Candidates.Count(c => c.WasSeed) + peers.Count(p => p.HasAll && p.Candidate is not { WasSeed: true }),
            ConnectCandidates = peerList.CountDialable(now),
            ActiveTime = activity.ActiveTime,
            SeedingTime = activity.SeedingTime,
            TimeSinceDownload = activity.LastPayloadIn is { } lastIn ? now - lastIn : null,
            TimeSinceUpload = activity.LastPayloadOut is { } lastOut ? now - lastOut : null,
            PiecesInProgress = source.PiecesInProgress,
            PiecesDone = pieces.SetCount,
            PieceCount = torrent?.PieceCount ?? 0,
            // Unchanged pieces share the last snapshot's copy: a big torrent's bitfield is not copied every second.
            Pieces = source.LastPieces is { } last && last.Equals(pieces) ? last : pieces.Clone(),
            DistributedCopies = peers.Count == 0 ? 0 : source.DistributedCopies,
            Eta = state == TorrentState.Downloading && downloadRate > 0 ? TimeSpan.FromSeconds(remaining / (double)downloadRate) : null,
            IsFinished = state is TorrentState.Finished or TorrentState.Seeding,
            IsSeeding = state == TorrentState.Seeding,
            SequentialDownload = source.IsSequential,
            UploadOnly = source.UploadOnly,
            Error = lifecycle.Error,
            ErrorMessage = lifecycle.ErrorMessage,
            AddedTime = source.AddedTime,
            CompletedTime = source.CompletedTime,
        };
    }

    public StatusFingerprint Fingerprint() => new(
        lifecycle.PublicState,
        lifecycle.IsPaused,
        source.IsQueued,
        source.AutoManaged,
        source.QueuePosition,
        source.Pieces.SetCount,
        source.Torrent is not null,
        download.Rate(),
        upload.Rate(),
        download.Total,
        upload.Total,
        peers.Count,
        peerList.Count,
        lifecycle.Error,
        source.Name,
        source.SavePath);
}
