using GodotTorrent.Alerts;
using GodotTorrent.Session;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;

namespace GodotTorrent.Torrent;

/// <summary>The swarm's side of the torrent's data (<see cref="TorrentData"/>): the picker built on a check, pieces passing and failing, completion.</summary>
internal sealed partial class TorrentRuntime : ITorrentDataHost
{
    // End-game duplicates per peer: a few keep an idle fast peer busy on the tail without fetching everything twice.
    private const int EndGameMaxPending = 4;

    // The data's state under the runtime's old field names, so the other partial files read unchanged.
    private IPieceStorage? _storage => _data.Storage;

    private PieceWriter? _writer
    {
        get => _data.Writer;
        set => _data.Writer = value;
    }

    private Bitfield _have => _data.Have;

    private Priority[] _filePriorities => _data.FilePriorities;

    private long[] _fileDone => _data.FileDone;

    private bool _fenced => _data.Fenced;

    private long _failedBytes => _data.FailedBytes;

    private Disk.DiskFence _fence => _data.Fence;

    private DateTimeOffset? _completedTime
    {
        get => _data.CompletedTime;
        set => _data.CompletedTime = value;
    }

    private Task? _checking
    {
        get => _data.Checking;
        set => _data.Checking = value;
    }

    bool ITorrentDataHost.IsStopped => _lifecycle.IsStopped;

    (long Downloaded, long Uploaded) ITorrentDataHost.TransferredThisRun => (_download.Total, _upload.Total);

    IPieceStorage ITorrentDataHost.CountDiskBytes(IPieceStorage storage) => CountDiskBytes(storage);

    void ITorrentDataHost.SetState(TorrentState state) => SetState(state);

    void ITorrentDataHost.Fail(ErrorCode code, string message, StorageException? storageError) => Fail(code, message, storageError);

    void ITorrentDataHost.BuildSwarmState(Bitfield have) => BuildSwarmState(have);

    void ITorrentDataHost.DropPicker() => _picker = null;

    void ITorrentDataHost.UpdateCompletionState(bool announce) => UpdateCompletionState(announce);

    void ITorrentDataHost.MovedTo(string savePath) => SavePath = savePath;

    void ITorrentDataHost.OnPieceWriteFailed(int piece) => _picker?.PieceFailed(piece);

    void ITorrentDataHost.CancelAllRequests() => CancelAllRequests();

    void ITorrentDataHost.FenceLifted()
    {
        foreach (var peer in _peers.Values)
        {
            Refill(peer);
            ServeUploads(peer);
        }
    }

    private Task InitializeAsync() => _data.InitializeAsync();

    private void BuildSwarmState(Bitfield have)
    {
        var writer = _data.Open(have);
        _picker = _data.CreatePicker(_session.Services.CreateRandom(), _params.SequentialDownload, _params.FirstAndLastPiecesFirst, EndGameMaxPending);
        _data.StartWriterEvents(writer);
        UpdateCompletionState(announce: false);
        foreach (var peer in _peers.Values)
        {
            // Peers that connected during the check told us their pieces before the picker existed.
            if (peer.Have is not null)
            {
                _picker.PeerHas(peer.Id, peer.Have);
            }

            if (!peer.PeerChoking)
            {
                _picker.PeerUnchoked(peer.Id);
            }

            OnPeerReady(peer);
            UpdateInterest(peer);
        }

        ConnectToCandidates(Now);
        AnnounceIfDue(Now);
    }

    public Task RecheckAsync()
    {
        if (Torrent is null || _storage is null)
        {
            return Task.CompletedTask;
        }

        DisconnectAll(ErrorCode.ConnectionClosedLocally, "the torrent is being rechecked");
        return _data.RecheckAsync();
    }

    public IReadOnlyList<Priority> GetFilePriorities() => [.. _filePriorities];

    public Task SetFilePriorityAsync(int fileIndex, Priority priority)
    {
        if (Torrent is null || (uint)fileIndex >= (uint)_filePriorities.Length)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"There is no file {fileIndex}.");
        }

        var priorities = (Priority[])_filePriorities.Clone();
        priorities[fileIndex] = priority;
        return SetFilePrioritiesAsync(priorities);
    }

    public async Task SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities)
    {
        await _data.SetFilePrioritiesAsync(priorities).ConfigureAwait(true);
        _data.ApplyPiecePriorities(_picker);
        UpdateCompletionState(announce: true);
        foreach (var peer in _peers.Values)
        {
            UpdateInterest(peer);
            Refill(peer);
        }
    }

    public Priority GetPiecePriority(int piece) =>
        _picker is not null && (uint)piece < (uint)_picker.PieceCount
            ? (Priority)_picker.GetPiecePriority(piece)
            : throw new TorrentException(ErrorCode.InvalidArgument, $"There is no piece {piece} (or the metadata is not known yet).");

    public void SetPiecePriority(int piece, Priority priority)
    {
        if (_picker is null || (uint)piece >= (uint)_picker.PieceCount || !Enum.IsDefined(priority))
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"There is no piece {piece}, or the priority is not 0 to 7.");
        }

        _picker.SetPiecePriority(piece, (int)priority);
        foreach (var peer in _peers.Values)
        {
            UpdateInterest(peer);
        }
    }

    void ITorrentDataHost.OnPiecePassed(int piece)
    {
        _picker!.PieceVerified(piece);
        _contributors.Remove(piece);
        foreach (var peer in _peers.Values)
        {
            peer.SendHave(piece);
            UpdateInterest(peer);
        }
    }

    void ITorrentDataHost.OnPieceFailed(int piece)
    {
        _picker!.PieceFailed(piece);
        if (!_contributors.Remove(piece, out var senders))
        {
            return;
        }

        foreach (var peer in senders)
        {
            peer.HashFailures++;
            if (peer.HashFailures >= Settings.MaxHashFailuresPerPeer)
            {
                Ban(peer, $"{peer.HashFailures} pieces it sent data for failed their hash check");
            }
        }
    }

    private void UpdateCompletionState(bool announce)
    {
        if (_picker is null)
        {
            return;
        }

        var state = IsSeeding ? TorrentState.Seeding : _data.AllWantedDone(_picker) ? TorrentState.Finished : TorrentState.Downloading;
        bool finishedNow = state != TorrentState.Downloading && _lifecycle.State is TorrentState.Downloading or TorrentState.CheckingFiles;
        if (state != TorrentState.Downloading)
        {
            _completedTime ??= Now;
        }

        SetState(state);
        if (finishedNow && announce)
        {
            _completedPending = true;
            AnnounceIfDue(Now);
            _session.Alerts.Post(new TorrentFinishedAlert(Handle));
            _ = _data.FlushAsync();
        }

        if (IsSeeding)
        {
            // Two seeds have nothing to trade.
            foreach (var peer in _peers.Values.Where(p => p.HasAll).ToList())
            {
                Disconnect(peer, ErrorCode.PeerNotUseful, "both sides are seeds");
            }
        }
    }
}
