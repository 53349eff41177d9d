using GodotTorrent.Alerts;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Session;

/// <summary>Checking, the write path's results, priorities and file completion.</summary>
internal sealed partial class TorrentRuntime
{
    // End-game duplicates per peer: a few keep an idle fast peer busy on the tail without fetching everything twice.
    private const int EndGameMaxPending = 4;

    private async Task InitializeAsync()
    {
        var torrent = Torrent!;
        try
        {
            if (_storage is null)
            {
                Directory.CreateDirectory(SavePath);
                _storage = CountDiskBytes(_session.Services.StorageFactory.Create(torrent, SavePath));
                _layout = new PieceLayout(torrent);
                _filePriorities = Enumerable.Range(0, torrent.Files.Count)
                    .Select(i => i < _params.FilePriorities.Count ? _params.FilePriorities[i] : Priority.Normal).ToArray();
                await _storage.SetFilePrioritiesAsync(_filePriorities).ConfigureAwait(true);
                await ApplyResumedRenamesAsync().ConfigureAwait(true);
            }

            SetState(TorrentState.CheckingFiles);
            var have = await CheckAsync(torrent).ConfigureAwait(true);
            if (_lifecycle.IsStopped)
            {
                return;
            }

            BuildSwarmState(have);
        }
        catch (StorageException e)
        {
            Fail(e.ErrorCode, e.Message, e);
        }
    }

    private async Task<Bitfield> CheckAsync(Metainfo.TorrentInfo torrent)
    {
        var checker = new TorrentChecker(_storage!, 0, _session.Disk.Run);
        if (_params.ResumeData is { } resume)
        {
            var validation = ResumeDataStore.Validate(resume, torrent, _storage!);
            if (!validation.FullCheckRequired)
            {
                var result = await checker.CheckPiecesAsync(validation.PiecesToCheck).ConfigureAwait(true);
                var have = validation.TrustedPieces.Clone();
                foreach (int piece in result.Pieces.SetIndices())
                {
                    have[piece] = true;
                }

                _completedTime = resume.CompletedTime;
                return have;
            }

            _logger.LogInformation("Resume data of {Torrent} rejected ({Reasons}); checking every piece", Name, string.Join("; ", validation.Reasons));
        }

        return (await checker.CheckAsync().ConfigureAwait(true)).Pieces;
    }

    private void BuildSwarmState(Bitfield have)
    {
        var torrent = Torrent!;
        _have = have;
        _writer = new PieceWriter(_storage!, _session.Disk);
        foreach (int piece in have.SetIndices())
        {
            _writer.MarkPassed(piece);
        }

        _picker = new PiecePicker(torrent.PieceCount, torrent.PieceLength, torrent.GetPieceSize, have, _session.Services.CreateRandom()) { Sequential = _params.SequentialDownload, EndGameMaxPending = EndGameMaxPending };
        ApplyPiecePriorities();
        if (_params.FirstAndLastPiecesFirst)
        {
            var ranges = torrent.Files.Where(f => !f.IsPad && f.Length > 0 && _filePriorities[f.Index] != Priority.Skip)
                .Select(f => (f.FirstPiece, f.LastPiece)).ToArray();
            _picker.SetFirstLastPieces(ranges);
            _picker.FirstLastPieceFirst = true;
        }

        _fileDone = new long[torrent.Files.Count];
        _filePiecesDone = new int[torrent.Files.Count];
        foreach (int piece in have.SetIndices())
        {
            CountPieceInFiles(piece, announce: false);
        }

        _ = PumpWriterEventsAsync(_writer);
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

    public async Task RecheckAsync()
    {
        if (Torrent is null || _storage is null)
        {
            return;
        }

        DisconnectAll(ErrorCode.ConnectionClosedLocally, "the torrent is being rechecked");
        try
        {
            // Fenced like a move: the old writer's blocks land and reads finish before the files are hashed.
            Bitfield? have = null;
            await RunFencedAsync(cancelRequests: false, async storage =>
            {
                var writer = _writer;
                _picker = null;
                _writer = null;
                writer?.Close();
                SetState(TorrentState.CheckingFiles);
                have = (await new TorrentChecker(storage, 0, _session.Disk.Run).CheckAsync().ConfigureAwait(true)).Pieces;
            }).ConfigureAwait(true);
            BuildSwarmState(have!);
        }
        catch (StorageException e)
        {
            Fail(e.ErrorCode, e.Message, e);
        }
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
        if (Torrent is null || priorities.Count != _filePriorities.Length || priorities.Any(p => !Enum.IsDefined(p)))
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"Give one priority from 0 to 7 for each of the {_filePriorities.Length} files.");
        }

        _filePriorities = [.. priorities];
        if (_storage is not null)
        {
            // Storage changes where skipped files' blocks live: no block I/O may run meanwhile.
            try
            {
                var applied = _filePriorities;
                await RunFencedAsync(cancelRequests: false, storage => storage.SetFilePrioritiesAsync(applied).AsTask()).ConfigureAwait(true);
            }
            catch (StorageException e)
            {
                Fail(e.ErrorCode, e.Message, e);
            }
        }

        ApplyPiecePriorities();
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

    // A piece is as important as the most important file it holds bytes of.
    private void ApplyPiecePriorities()
    {
        if (_picker is null || _layout is null)
        {
            return;
        }

        var piecePriority = new int[_picker.PieceCount];
        foreach (var file in Torrent!.Files)
        {
            if (file.IsPad || file.Length == 0)
            {
                continue;
            }

            int priority = (int)_filePriorities[file.Index];
            for (int piece = file.FirstPiece; piece <= file.LastPiece; piece++)
            {
                piecePriority[piece] = Math.Max(piecePriority[piece], priority);
            }
        }

        for (int piece = 0; piece < piecePriority.Length; piece++)
        {
            _picker.SetPiecePriority(piece, piecePriority[piece]);
        }
    }

    private async Task PumpWriterEventsAsync(PieceWriter writer)
    {
        // Not ReadAllAsync: it resumes on the thread pool internally, outside a simulation's scheduler.
        while (await writer.Events.WaitToReadAsync().ConfigureAwait(true))
        {
            while (writer.Events.TryRead(out var result))
            {
                if (_lifecycle.IsStopped || writer != _writer)
                {
                    return;
                }

                switch (result.Outcome)
                {
                    case PieceWriteOutcome.Passed:
                        OnPiecePassed(result.Piece);
                        break;
                    case PieceWriteOutcome.HashFailed:
                        OnPieceFailed(result.Piece);
                        break;
                    default:
                        _picker?.PieceFailed(result.Piece);
                        var error = result.Error;
                        Fail(error?.ErrorCode ?? ErrorCode.StorageIo, error?.Message ?? "writing a piece failed", error);
                        break;
                }
            }
        }
    }

    private void OnPiecePassed(int piece)
    {
        if (_have[piece])
        {
            return;
        }

        _have[piece] = true;
        _picker!.PieceVerified(piece);
        _session.Counters.PieceVerified();
        _contributors.Remove(piece);
        _session.Alerts.Post(new PieceFinishedAlert(Handle, piece));
        foreach (var peer in _peers.Values)
        {
            peer.SendHave(piece);
            UpdateInterest(peer);
        }

        CountPieceInFiles(piece, announce: true);
        UpdateCompletionState(announce: true);
    }

    private void OnPieceFailed(int piece)
    {
        _picker!.PieceFailed(piece);
        _failedBytes += Torrent!.GetPieceSize(piece);
        _session.Counters.HashFailed();
        _session.Alerts.Post(new HashFailedAlert(Handle, piece));
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

    private void CountPieceInFiles(int piece, bool announce)
    {
        foreach (var slice in _layout!.GetSlices(piece, 0, _layout.GetPieceSize(piece)))
        {
            _fileDone[slice.FileIndex] += slice.Length;
        }

        foreach (int fileIndex in _layout.FilesOfPiece(piece))
        {
            var file = Torrent!.Files[fileIndex];
            if (file.IsPad || file.Length == 0)
            {
                continue;
            }

            _filePiecesDone[fileIndex]++;
            if (announce && _filePiecesDone[fileIndex] == file.LastPiece - file.FirstPiece + 1)
            {
                _session.Alerts.Post(new FileCompletedAlert(Handle, fileIndex));
            }
        }
    }

    private bool AllWantedDone()
    {
        for (int piece = _have.NextClear(0); piece >= 0; piece = _have.NextClear(piece + 1))
        {
            if (_picker!.GetPiecePriority(piece) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private void UpdateCompletionState(bool announce)
    {
        if (_picker is null)
        {
            return;
        }

        var state = IsSeeding ? TorrentState.Seeding : AllWantedDone() ? TorrentState.Finished : TorrentState.Downloading;
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
            _ = FlushAsync();
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

    private async Task FlushAsync()
    {
        try
        {
            await _writer!.WhenIdleAsync().ConfigureAwait(true);
            await _storage!.FlushAsync().ConfigureAwait(true);
        }
        catch (StorageException e)
        {
            Fail(e.ErrorCode, e.Message, e);
        }
    }
}
