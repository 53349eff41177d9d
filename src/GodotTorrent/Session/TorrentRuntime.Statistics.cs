namespace GodotTorrent.Session;

/// <summary>What a torrent adds to the session's statistics, and the fingerprint <c>PostTorrentUpdates</c> compares.</summary>
internal sealed partial class TorrentRuntime
{
    private long _closedWireDownload;
    private long _closedWireUpload;

    /// <summary>Every byte received from peers this session, closed connections included.</summary>
    public long WireDownloadTotal => _closedWireDownload + _peers.Values.Sum(p => p.WireDownload.Total);

    /// <summary>Every byte sent to peers this session, closed connections included.</summary>
    public long WireUploadTotal => _closedWireUpload + _peers.Values.Sum(p => p.WireUpload.Total);

    public long PayloadDownloadTotal => _download.Total;

    public long PayloadUploadTotal => _upload.Total;

    public long FailedBytes => _failedBytes;

    public long RedundantBytes => _redundantBytes;

    public long DiskQueueBytes => _writer?.BufferedBytes ?? 0;

    public int PeerConnectionCount => _peers.Count;

    public int CandidateCount => _peerList.Count;

    public long DownloadRateNow => _download.Rate();

    public long UploadRateNow => _upload.Rate();

    /// <summary>True while the app paused the torrent (not the queue).</summary>
    public bool IsUserPaused => _lifecycle.IsPaused;

    public bool HasError => _lifecycle.HasError;

    public TorrentState CurrentState => _lifecycle.PublicState;

#pragma warning disable CA1859 // The field holds any storage; the wrapper is an implementation detail.
    private Storage.IPieceStorage CountDiskBytes(Storage.IPieceStorage storage) => new CountingStorage(storage, _session.Counters);
#pragma warning restore CA1859

    private void RememberClosedPeerTotals(Peers.Protocol.PeerConnection peer)
    {
        _closedWireDownload += peer.WireDownload.Total;
        _closedWireUpload += peer.WireUpload.Total;
    }

    /// <summary>
    /// A cheap summary of what a UI shows; <c>PostTorrentUpdates</c> reports the torrent when it
    /// differs from the one of the previous call.
    /// </summary>
    public StatusFingerprint Fingerprint() => new(
        CurrentState,
        _lifecycle.IsPaused,
        IsQueued,
        AutoManaged,
        _session.QueuePositionOf(this),
        _have.SetCount,
        Torrent is not null,
        _download.Rate(),
        _upload.Rate(),
        _download.Total,
        _upload.Total,
        _peers.Count,
        _peerList.Count,
        _lifecycle.Error,
        Name,
        SavePath);

    internal readonly record struct StatusFingerprint(
        TorrentState State,
        bool Paused,
        bool Queued,
        bool AutoManaged,
        int QueuePosition,
        int PiecesDone,
        bool HasMetadata,
        long DownloadRate,
        long UploadRate,
        long PayloadDownloaded,
        long PayloadUploaded,
        int Peers,
        int KnownPeers,
        ErrorCode Error,
        string Name,
        string SavePath);
}
