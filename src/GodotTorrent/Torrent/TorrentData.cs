using GodotTorrent.Alerts;
using GodotTorrent.Disk;
using GodotTorrent.Engine;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Torrent;

/// <summary>
/// One torrent's data: storage, the piece writer and its results, checking, file priorities and
/// progress, fenced storage operations and resume data. Engine loop only, like its torrent.
/// </summary>
internal sealed class TorrentData
{
    private readonly ITorrentDataHost _host;
    private readonly AddTorrentParams _params;
    private readonly EngineServices _services;
    private readonly DiskService _disk;
    private readonly AlertManager _alerts;
    private readonly SessionCounters _counters;
    private readonly ILogger _logger;
    private PieceLayout? _layout;
    private int[] _filePiecesDone = [];
    private TorrentReuse? _reuse;

    public TorrentData(ITorrentDataHost host, AddTorrentParams parameters, EngineServices services, DiskService disk, AlertManager alerts, SessionCounters counters, ILogger logger)
    {
        _host = host;
        _params = parameters;
        _services = services;
        _disk = disk;
        _alerts = alerts;
        _counters = counters;
        _logger = logger;
        Files = new TorrentFileOperations(this, host, alerts);
    }

    /// <summary>The handle's operations on the files (rename, move, read, flush, progress).</summary>
    public TorrentFileOperations Files { get; }

    public IPieceStorage? Storage { get; private set; }

    public PieceWriter? Writer { get; set; }

    public Bitfield Have { get; private set; } = new(0);

    public Priority[] FilePriorities { get; private set; } = [];

    /// <summary>Verified bytes per file.</summary>
    public long[] FileDone { get; private set; } = [];

    /// <summary>True while a fenced storage operation runs: no requests or uploads meanwhile.</summary>
    public bool Fenced { get; private set; }

    // Storage operations run alone, one at a time; block and piece reads go through it too.
    public DiskFence Fence { get; } = new();

    public DateTimeOffset? CompletedTime { get; set; }

    /// <summary>Bytes of pieces that failed their hash check.</summary>
    public long FailedBytes { get; private set; }

    /// <summary>The running check, if any: renames and moves wait for it.</summary>
    public Task? Checking { get; set; }

    private TorrentHandle Handle => _host.Handle;

    private TorrentInfo? Torrent => _host.Torrent;

    public Task InitializeAsync() => InitializeAsync(Torrent!);

    public async Task RecheckAsync()
    {
        try
        {
            // Fenced like a move: the old writer's blocks land and reads finish before the files are hashed.
            Bitfield? have = null;
            await RunFencedAsync(cancelRequests: false, async storage =>
            {
                var writer = DetachWriter();
                writer?.Close();
                _host.SetState(TorrentState.CheckingFiles);
                have = (await new TorrentChecker(storage, 0, _disk.Run).CheckAsync().ConfigureAwait(true)).Pieces;
            }).ConfigureAwait(true);
            _host.BuildSwarmState(have!);
        }
        catch (StorageException e)
        {
            _host.Fail(e.ErrorCode, e.Message, e);
        }
    }

    /// <summary>
    /// A v2-only magnet learns a file's piece layer from peers after its check, so that check could
    /// not verify the file's pieces: those already on disk are verified now, before the picker is
    /// allowed to fetch them again. Only pieces that start inside the file's bytes on disk are
    /// read, so a fresh download costs nothing here.
    /// </summary>
    public async Task VerifyFileOnDiskAsync(FileEntry file)
    {
        if (Storage is not { } storage || Torrent is not { } torrent || Have.Count != torrent.PieceCount)
        {
            return;
        }

        // After each wait: the torrent may have stopped, or its metadata or storage been replaced.
        bool Stale() => _host.IsStopped || !ReferenceEquals(Torrent, torrent) || !ReferenceEquals(Storage, storage);

        try
        {
            // The size comes from a stat: a disk worker asks, not the engine loop.
            var state = default(StorageFileState);
            await _disk.Run(() =>
            {
                state = storage.GetFileState(file.Index);
                return Task.CompletedTask;
            }).ConfigureAwait(true);
            if (Stale())
            {
                return;
            }

            long onDisk = Math.Min(state.Exists ? state.Length : 0, file.Length);
            var pieces = new Bitfield(torrent.PieceCount);
            for (int piece = file.FirstPiece; piece <= file.LastPiece && (long)(piece - file.FirstPiece) * torrent.PieceLength < onDisk; piece++)
            {
                pieces[piece] = !Have[piece];
            }

            if (pieces.NoneSet)
            {
                return;
            }

            var found = (await new TorrentChecker(storage, 0, _disk.Run).CheckPiecesAsync(pieces).ConfigureAwait(true)).Pieces;
            if (Stale())
            {
                return;
            }

            foreach (int piece in found.SetIndices())
            {
                OnPiecePassed(piece, null);
            }

            _logger.LogInformation("{Torrent}: {Found} of {Checked} pieces of file {File} were already on disk", _host.Name, found.SetCount, pieces.SetCount, file.Index);
        }
        catch (StorageException e)
        {
            // Not fatal: the pieces are fetched from peers as if the file were absent.
            _logger.LogWarning(e, "{Torrent}: could not read file {File} to verify it against its piece layer", _host.Name, file.Index);
        }
    }

    /// <summary>The torrent is being removed: a patch reuse still copying stops at once.</summary>
    public void CancelReuse() => _reuse?.Cancel();

    /// <summary>Drops the picker and the writer before the data is checked again; returns the old writer to close.</summary>
    public PieceWriter? DetachWriter()
    {
        var writer = Writer;
        _host.DropPicker();
        Writer = null;
        return writer;
    }

    /// <summary>The check's result becomes the torrent's pieces: a new writer and per-file progress.</summary>
    public PieceWriter Open(Bitfield have)
    {
        var torrent = Torrent!;
        Have = have;
        var writer = Writer = new PieceWriter(Storage!, _disk);
        foreach (int piece in have.SetIndices())
        {
            writer.MarkPassed(piece);
        }

        FileDone = new long[torrent.Files.Count];
        _filePiecesDone = new int[torrent.Files.Count];
        foreach (int piece in have.SetIndices())
        {
            CountPieceInFiles(piece, announce: false);
        }

        return writer;
    }

    /// <summary>A picker over the checked pieces, with the files' priorities and the first-and-last-pieces mode applied.</summary>
    public PiecePicker CreatePicker(Random random, bool sequential, bool firstAndLastPiecesFirst, int endGameMaxPending)
    {
        var torrent = Torrent!;
        var picker = new PiecePicker(torrent.PieceCount, torrent.PieceLength, torrent.GetPieceSize, Have, random) { Sequential = sequential, EndGameMaxPending = endGameMaxPending };
        ApplyPiecePriorities(picker);
        TorrentHashes.HoldUnverifiable(torrent, picker);
        if (firstAndLastPiecesFirst)
        {
            var ranges = torrent.Files.Where(f => !f.IsPad && f.Length > 0 && FilePriorities[f.Index] != Priority.Skip)
                .Select(f => (f.FirstPiece, f.LastPiece)).ToArray();
            picker.SetFirstLastPieces(ranges);
            picker.FirstLastPieceFirst = true;
        }

        return picker;
    }

    /// <summary>True when every piece the picker still wants (priority above skip) is verified.</summary>
    public bool AllWantedDone(PiecePicker picker)
    {
        for (int piece = Have.NextClear(0); piece >= 0; piece = Have.NextClear(piece + 1))
        {
            if (picker.GetPiecePriority(piece) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Starts delivering the writer's results; after the picker exists.</summary>
    public void StartWriterEvents(PieceWriter writer) => _ = PumpWriterEventsAsync(writer);

    public async Task SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities)
    {
        if (Torrent is null || priorities.Count != FilePriorities.Length || priorities.Any(p => !Enum.IsDefined(p)))
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"Give one priority from 0 to 7 for each of the {FilePriorities.Length} files.");
        }

        FilePriorities = [.. priorities];
        if (Storage is not null)
        {
            // Storage changes where skipped files' blocks live: no block I/O may run meanwhile.
            try
            {
                var applied = FilePriorities;
                await RunFencedAsync(cancelRequests: false, storage => storage.SetFilePrioritiesAsync(applied).AsTask()).ConfigureAwait(true);
            }
            catch (StorageException e)
            {
                _host.Fail(e.ErrorCode, e.Message, e);
            }
        }
    }

    // A piece is as important as the most important file it holds bytes of.
    public void ApplyPiecePriorities(PiecePicker? picker)
    {
        if (picker is null || _layout is null)
        {
            return;
        }

        var piecePriority = new int[picker.PieceCount];
        foreach (var file in Torrent!.Files)
        {
            if (file.IsPad || file.Length == 0)
            {
                continue;
            }

            int priority = (int)FilePriorities[file.Index];
            for (int piece = file.FirstPiece; piece <= file.LastPiece; piece++)
            {
                piecePriority[piece] = Math.Max(piecePriority[piece], priority);
            }
        }

        for (int piece = 0; piece < piecePriority.Length; piece++)
        {
            picker.SetPiecePriority(piece, piecePriority[piece]);
        }
    }

    public void CountPieceInFiles(int piece, bool announce)
    {
        foreach (var slice in _layout!.GetSlices(piece, 0, _layout.GetPieceSize(piece)))
        {
            FileDone[slice.FileIndex] += slice.Length;
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
                _alerts.Post(new FileCompletedAlert(Handle, fileIndex));
            }
        }
    }

    public async Task FlushAsync()
    {
        try
        {
            await Writer!.WhenIdleAsync().ConfigureAwait(true);
            await Storage!.FlushAsync().ConfigureAwait(true);
        }
        catch (StorageException e)
        {
            _host.Fail(e.ErrorCode, e.Message, e);
        }
    }

    public async Task<ResumeData> SaveResumeDataAsync()
    {
        try
        {
            var data = await CaptureResumeDataAsync().ConfigureAwait(true);
            _alerts.Post(new SaveResumeDataAlert(Handle, data));
            return data;
        }
        catch (TorrentException e)
        {
            // Storage errors are torrent exceptions too.
            _alerts.Post(new SaveResumeDataFailedAlert(Handle, e.ErrorCode, e.Message));
            throw;
        }
    }

    /// <summary>Flushes and closes the files when the torrent is removed, deleting them if asked.</summary>
    public async Task CloseAsync(bool deleteFiles, TimeProvider time)
    {
        if (Storage is null)
        {
            return;
        }

        if (_reuse is not null)
        {
            await _reuse.StopAsync().ConfigureAwait(true);
        }

        try
        {
            if (Writer is not null)
            {
                await Writer.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(5), time).ConfigureAwait(true);
            }

            await Storage.FlushAsync().ConfigureAwait(true);
            if (deleteFiles)
            {
                await Storage.DeleteFilesAsync().ConfigureAwait(true);
            }
        }
        catch (Exception e) when (e is StorageException or TimeoutException)
        {
            _logger.LogWarning(e, "Stopping {Torrent} could not flush its data", _host.Name);
        }
        finally
        {
            await Storage.DisposeAsync().ConfigureAwait(true);
        }
    }

    private async Task<ResumeData> CaptureResumeDataAsync()
    {
        var torrent = Torrent;
        if (torrent is null || Storage is null || Writer is null)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, "A torrent has resume data once its metadata is known and its files are checked.");
        }

        // Blocks still in flight to the disk would be claimed but not on it yet.
        await Writer.WhenIdleAsync().ConfigureAwait(true);
        await Storage.FlushAsync().ConfigureAwait(true);
        var (downloaded, uploaded) = _host.TransferredThisRun;
        return _host.SeedGoals.AddTo(new ResumeData
        {
            InfoHashes = _host.InfoHashes,
            SavePath = _host.SavePath,
            Pieces = Have.Clone(),
            PartialPieces = Writer.GetPartialPieces(),
            FilePriorities = [.. FilePriorities],
            RenamedFiles = RenamedFiles(),
            Files = ResumeDataStore.CaptureFileStates(Storage),
            TotalDownloaded = (_params.ResumeData?.TotalDownloaded ?? 0) + downloaded,
            TotalUploaded = (_params.ResumeData?.TotalUploaded ?? 0) + uploaded,
            Trackers = torrent.Trackers,
            WebSeeds = _host.GetWebSeeds(),
            AddedTime = _params.ResumeData?.AddedTime ?? _host.AddedTime,
            CompletedTime = CompletedTime,
            Torrent = _params.Torrent is null ? torrent : null,
        });
    }

    public async Task CheckAfterErrorAsync(PieceWriter? previous)
    {
        if (previous is not null)
        {
            // Its unused reservations go back to the session's budget at once; blocks the failed
            // writer still holds finish (or fail) before the files are read.
            previous.Close();
            await previous.WhenIdleAsync().ConfigureAwait(true);
        }

        await InitializeAsync().ConfigureAwait(true);
    }

    /// <summary>
    /// Runs a storage management operation alone (the <see cref="IPieceStorage"/> fence rule): no new
    /// requests or uploads meanwhile, queued writes and in-flight reads finished first. With
    /// <paramref name="cancelRequests"/> our outstanding requests are cancelled too, so no block
    /// arriving during the operation is written (blocks that still come are dropped as redundant).
    /// </summary>
    public Task RunFencedAsync(bool cancelRequests, Func<IPieceStorage, Task> operation) =>
        Fence.RunAsync(
            hold: () =>
            {
                Fenced = true;
                if (cancelRequests)
                {
                    _host.CancelAllRequests();
                }
            },
            drainWrites: () => Writer?.WhenIdleAsync() ?? Task.CompletedTask,
            operation: () => operation(Storage!),
            lift: () =>
            {
                Fenced = false;
                if (!_host.IsStopped)
                {
                    _host.FenceLifted();
                }
            });

    private async Task InitializeAsync(TorrentInfo torrent)
    {
        try
        {
            if (Storage is null)
            {
                CreateSaveFolder(_host.SavePath);
                Storage = _host.CountDiskBytes(_services.StorageFactory.Create(torrent, _host.SavePath));
                _layout = new PieceLayout(torrent);
                FilePriorities = Enumerable.Range(0, torrent.Files.Count)
                    .Select(i => i < _params.FilePriorities.Count ? _params.FilePriorities[i] : Priority.Normal).ToArray();
                await Storage.SetFilePrioritiesAsync(FilePriorities).ConfigureAwait(true);
                await ApplyResumedRenamesAsync().ConfigureAwait(true);
            }

            _host.SetState(TorrentState.CheckingFiles);
            if (_params.ResumeData is null && _params.PreviousVersions.Count > 0 && _reuse is null)
            {
                _reuse = new TorrentReuse(_host, _disk, _services.StorageFactory, _alerts, _logger);
                await _reuse.RunAsync(torrent, Storage!, _params.PreviousVersions, FilePriorities).ConfigureAwait(true);
                if (_host.IsStopped)
                {
                    return;
                }
            }

            var have = await CheckAsync(torrent).ConfigureAwait(true);
            if (_host.IsStopped)
            {
                return;
            }

            _reuse?.Report(have);

            _host.BuildSwarmState(have);
        }
        catch (StorageException e)
        {
            _host.Fail(e.ErrorCode, e.Message, e);
        }
    }

    // A save path that is a file, on a read-only disk or too long is the torrent's error, not a
    // lost exception that leaves it queued for checking forever.
    private static void CreateSaveFolder(string savePath)
    {
        try
        {
            Directory.CreateDirectory(savePath);
        }
        catch (Exception e) when (StorageErrors.IsIoFailure(e))
        {
            throw StorageErrors.Wrap(e, "create the save folder", savePath, -1);
        }
    }

    private async Task<Bitfield> CheckAsync(TorrentInfo torrent)
    {
        var checker = new TorrentChecker(Storage!, 0, _disk.Run);
        if (_params.ResumeData is { } resume)
        {
            var validation = ResumeDataStore.Validate(resume, torrent, Storage!);
            if (!validation.FullCheckRequired)
            {
                var result = await checker.CheckPiecesAsync(validation.PiecesToCheck).ConfigureAwait(true);
                var have = validation.TrustedPieces.Clone();
                foreach (int piece in result.Pieces.SetIndices())
                {
                    have[piece] = true;
                }

                CompletedTime = resume.CompletedTime;
                return have;
            }

            _logger.LogInformation("Resume data of {Torrent} rejected ({Reasons}); checking every piece", _host.Name, string.Join("; ", validation.Reasons));
        }

        return (await checker.CheckAsync().ConfigureAwait(true)).Pieces;
    }

    private async Task PumpWriterEventsAsync(PieceWriter writer)
    {
        // Not ReadAllAsync: it resumes on the thread pool internally, outside a simulation's scheduler.
        while (await writer.Events.WaitToReadAsync().ConfigureAwait(true))
        {
            while (writer.Events.TryRead(out var result))
            {
                if (_host.IsStopped || writer != Writer)
                {
                    return;
                }

                switch (result.Outcome)
                {
                    case PieceWriteOutcome.Passed:
                        OnPiecePassed(result.Piece, result.BlockDigests);
                        break;
                    case PieceWriteOutcome.HashFailed:
                        OnPieceFailed(result.Piece, result.BlockDigests, result.LeafHashes);
                        break;
                    default:
                        _host.OnPieceWriteFailed(result.Piece);
                        var error = result.Error;
                        _host.Fail(error?.ErrorCode ?? ErrorCode.StorageIo, error?.Message ?? "writing a piece failed", error);
                        break;
                }
            }
        }
    }

    private void OnPiecePassed(int piece, ulong[]? blockDigests)
    {
        if (Have[piece])
        {
            return;
        }

        Have[piece] = true;
        _counters.PieceVerified();
        _alerts.Post(new PieceFinishedAlert(Handle, piece));
        _host.OnPiecePassed(piece, blockDigests);
        CountPieceInFiles(piece, announce: true);
        _host.UpdateCompletionState(announce: true);
    }

    private void OnPieceFailed(int piece, ulong[]? blockDigests, byte[]? leafHashes)
    {
        FailedBytes += Torrent!.GetPieceSize(piece);
        _counters.HashFailed();
        _alerts.Post(new HashFailedAlert(Handle, piece));
        _host.OnPieceFailed(piece, blockDigests, leafHashes);
    }

    /// <summary>Files whose path differs from the torrent's (renamed at run time), for resume data.</summary>
    private Dictionary<int, string> RenamedFiles()
    {
        var renamed = new Dictionary<int, string>();
        if (Storage is null || Torrent is null)
        {
            return renamed;
        }

        foreach (var file in Torrent.Files)
        {
            if (!file.IsPad && Storage.GetFilePath(file.Index) is var path && !string.Equals(path, file.Path.Replace('\\', '/'), StringComparison.Ordinal))
            {
                renamed[file.Index] = path;
            }
        }

        return renamed;
    }

    /// <summary>Applies the renames kept in resume data before the files are checked.</summary>
    private async Task ApplyResumedRenamesAsync()
    {
        if (_params.ResumeData is not { } resume || Storage is null)
        {
            return;
        }

        foreach (var (index, path) in resume.RenamedFiles)
        {
            if ((uint)index < (uint)Torrent!.Files.Count && !Torrent.Files[index].IsPad)
            {
                await Storage.RenameFileAsync(index, path).ConfigureAwait(true);
            }
        }
    }
}
