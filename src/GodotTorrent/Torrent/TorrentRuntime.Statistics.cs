using GodotTorrent.Session;

namespace GodotTorrent.Torrent;

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

    /// <summary>What <c>PostTorrentUpdates</c> compares to report the torrent when it changed.</summary>
    public StatusFingerprint Fingerprint() => StatusBuilder.Fingerprint();
}
