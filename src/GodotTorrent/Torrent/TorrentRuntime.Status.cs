using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Torrent;

/// <summary>Status snapshots and the waiters that watch them.</summary>
internal sealed partial class TorrentRuntime : ITorrentStatusSource
{
    private TorrentStatusBuilder? _statusBuilder;

    private TorrentStatusBuilder StatusBuilder =>
        _statusBuilder ??= new(this, _lifecycle, _activity, _download, _upload, _peers.Values, _peerList, _session.Time);

    DateTimeOffset? ITorrentStatusSource.CompletedTime => _completedTime;

    ResumeData? ITorrentStatusSource.InitialResumeData => _params.ResumeData;

    int ITorrentStatusSource.QueuePosition => _session.QueuePositionOf(this);

    bool ITorrentStatusSource.UploadOnly => _uploadOnly;

    TorrentProgress ITorrentStatusSource.Progress => TorrentProgress.Of(Torrent, _fileDone, _filePriorities);

    Bitfield ITorrentStatusSource.Pieces => _have;

    Bitfield? ITorrentStatusSource.LastPieces => _latestStatus?.Pieces;

    int ITorrentStatusSource.PiecesInProgress => _writer?.PartialPieceCount ?? 0;

    double ITorrentStatusSource.DistributedCopies => _picker?.DistributedCopies() ?? 0;

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
        _statusFingerprint = StatusBuilder.Fingerprint();
        _statusConnectCandidates = status.ConnectCandidates;
        _statusBuiltAt = Now;
        _waiters.Notify(status);
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
            && _peerList.CountDialable(now) == _statusConnectCandidates && StatusBuilder.Fingerprint() == _statusFingerprint)
        {
            return;
        }

        RefreshStatus();
    }

    private TorrentStatus BuildStatus() => StatusBuilder.Build();
}
