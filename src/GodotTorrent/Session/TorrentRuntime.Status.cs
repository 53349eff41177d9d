using GodotTorrent.Storage;
using GodotTorrent.Torrent;

namespace GodotTorrent.Session;

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

    int ITorrentStatusSource.PiecesInProgress => _writer?.PartialPieceCount ?? 0;

    double ITorrentStatusSource.DistributedCopies => _picker?.DistributedCopies() ?? 0;

    public TorrentStatus RefreshStatus()
    {
        var status = BuildStatus();
        _latestStatus = status;
        _waiters.Notify(status);
        return status;
    }

    private TorrentStatus BuildStatus() => StatusBuilder.Build();
}
