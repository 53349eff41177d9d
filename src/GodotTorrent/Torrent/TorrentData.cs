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
    private readonly ILogger _logger;
    private PieceLayout? _layout;
    private int[] _filePiecesDone = [];

    public TorrentData(ITorrentDataHost host, AddTorrentParams parameters, EngineServices services, DiskService disk, AlertManager alerts, ILogger logger)
    {
        _host = host;
        _params = parameters;
        _services = services;
        _disk = disk;
        _alerts = alerts;
        _logger = logger;
    }

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

    /// <summary>Starts delivering the writer's results; after the picker exists.</summary>
    public void StartWriterEvents(PieceWriter writer) => _ = PumpWriterEventsAsync(writer);

    /// <summary>File ranges (first and last piece) of the wanted files, for the picker's first-and-last-pieces mode.</summary>
    public (int First, int Last)[] WantedFileRanges() =>
        Torrent!.Files.Where(f => !f.IsPad && f.Length > 0 && FilePriorities[f.Index] != Priority.Skip)
            .Select(f => (f.FirstPiece, f.LastPiece)).ToArray();

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

    public async Task<ResumeData> CaptureResumeDataAsync()
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
        return new ResumeData
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
        };
    }

    public async Task RenameFileAsync(int fileIndex, string newPath)
    {
        if (Torrent is null || (uint)fileIndex >= (uint)Torrent.Files.Count || Torrent.Files[fileIndex].IsPad || string.IsNullOrWhiteSpace(newPath))
        {
            var message = Torrent is null ? "the torrent's metadata is not known yet" : $"there is no file {fileIndex}, or the new path is empty";
            _alerts.Post(new FileRenameFailedAlert(Handle, fileIndex, ErrorCode.InvalidArgument, message));
            throw new TorrentException(ErrorCode.InvalidArgument, $"Cannot rename: {message}.");
        }

        await WhenCheckedAsync().ConfigureAwait(true);
        if (Storage is null)
        {
            const string message = "the torrent's files are not open (its check failed)";
            _alerts.Post(new FileRenameFailedAlert(Handle, fileIndex, ErrorCode.InvalidArgument, message));
            throw new TorrentException(ErrorCode.InvalidArgument, $"Cannot rename: {message}.");
        }

        try
        {
            await RunFencedAsync(cancelRequests: true, storage => storage.RenameFileAsync(fileIndex, newPath).AsTask()).ConfigureAwait(true);
        }
        catch (StorageException e)
        {
            _alerts.Post(new FileRenameFailedAlert(Handle, fileIndex, e.ErrorCode, e.Message));
            throw new TorrentException(e.ErrorCode, e.Message, e);
        }

        _alerts.Post(new FileRenamedAlert(Handle, fileIndex, Storage.GetFilePath(fileIndex)));
    }

    /// <summary>Moves the files (if open) and returns the full new save path; the torrent then takes it.</summary>
    public async Task<string> MoveStorageAsync(string newSavePath, IProgress<long>? progress)
    {
        string target;
        try
        {
            target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(newSavePath));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            _alerts.Post(new StorageMovedFailedAlert(Handle, newSavePath ?? "", ErrorCode.InvalidArgument, e.Message));
            throw new TorrentException(ErrorCode.InvalidArgument, $"'{newSavePath}' is not a usable folder: {e.Message}", e);
        }

        await WhenCheckedAsync().ConfigureAwait(true);
        if (Storage is not null)
        {
            try
            {
                await RunFencedAsync(cancelRequests: true, storage => storage.MoveAsync(target, progress).AsTask()).ConfigureAwait(true);
            }
            catch (StorageException e)
            {
                _alerts.Post(new StorageMovedFailedAlert(Handle, target, e.ErrorCode, e.Message));
                throw new TorrentException(e.ErrorCode, e.Message, e);
            }
        }

        // Without open storage (a magnet still fetching its metadata) there is nothing to move yet:
        // the files will be created in the new place.
        return target;
    }

    public IReadOnlyList<long> GetFileProgress()
    {
        if (Torrent is null)
        {
            return [];
        }

        return FileDone.Length == Torrent.Files.Count ? [.. FileDone] : new long[Torrent.Files.Count];
    }

    public bool HavePiece(int piece)
    {
        CheckPieceIndex(piece);
        return Have.Count > piece && Have[piece];
    }

    public async Task<ReadOnlyMemory<byte>> ReadPieceAsync(int piece)
    {
        if (Torrent is null || (uint)piece >= (uint)Torrent.PieceCount)
        {
            _alerts.Post(new ReadPieceAlert(Handle, piece, ReadOnlyMemory<byte>.Empty, ErrorCode.InvalidArgument));
            throw new TorrentException(ErrorCode.InvalidArgument, Torrent is null ? "The torrent's metadata is not known yet." : $"There is no piece {piece}.");
        }

        if (Storage is null || !(Have.Count > piece && Have[piece]))
        {
            _alerts.Post(new ReadPieceAlert(Handle, piece, ReadOnlyMemory<byte>.Empty, ErrorCode.PieceNotVerified));
            throw new TorrentException(ErrorCode.PieceNotVerified, $"Piece {piece} is not verified yet.");
        }

        // A move or rename in progress must not see reads (the fence holds this one); one that starts later waits for it.
        var data = new byte[Torrent.GetPieceSize(piece)];
        try
        {
            await Fence.ReadAsync(Storage, piece, 0, data).ConfigureAwait(true);
        }
        catch (StorageException e)
        {
            _alerts.Post(new ReadPieceAlert(Handle, piece, ReadOnlyMemory<byte>.Empty, e.ErrorCode));
            _host.Fail(e.ErrorCode, e.Message, e);
            throw new TorrentException(e.ErrorCode, e.Message, e);
        }

        _alerts.Post(new ReadPieceAlert(Handle, piece, data));
        return data;
    }

    public async Task FlushStorageAsync()
    {
        if (Storage is null)
        {
            return;
        }

        try
        {
            if (Writer is not null)
            {
                await Writer.WhenIdleAsync().ConfigureAwait(true);
            }

            await Storage.FlushAsync().ConfigureAwait(true);
        }
        catch (StorageException e)
        {
            _host.Fail(e.ErrorCode, e.Message, e);
            throw new TorrentException(e.ErrorCode, e.Message, e);
        }
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
                Directory.CreateDirectory(_host.SavePath);
                Storage = _host.CountDiskBytes(_services.StorageFactory.Create(torrent, _host.SavePath));
                _layout = new PieceLayout(torrent);
                FilePriorities = Enumerable.Range(0, torrent.Files.Count)
                    .Select(i => i < _params.FilePriorities.Count ? _params.FilePriorities[i] : Priority.Normal).ToArray();
                await Storage.SetFilePrioritiesAsync(FilePriorities).ConfigureAwait(true);
                await ApplyResumedRenamesAsync().ConfigureAwait(true);
            }

            _host.SetState(TorrentState.CheckingFiles);
            var have = await CheckAsync(torrent).ConfigureAwait(true);
            if (_host.IsStopped)
            {
                return;
            }

            _host.BuildSwarmState(have);
        }
        catch (StorageException e)
        {
            _host.Fail(e.ErrorCode, e.Message, e);
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
                        _host.OnPiecePassed(result.Piece);
                        break;
                    case PieceWriteOutcome.HashFailed:
                        _host.OnPieceFailed(result.Piece);
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

    private void CheckPieceIndex(int piece)
    {
        if (Torrent is null || (uint)piece >= (uint)Torrent.PieceCount)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, Torrent is null ? "The torrent's metadata is not known yet." : $"There is no piece {piece}.");
        }
    }

    private async Task WhenCheckedAsync()
    {
        if (Checking is { IsCompleted: false } checking)
        {
            await checking.ConfigureAwait(true);
        }
    }
}
