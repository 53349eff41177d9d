using GodotTorrent.Alerts;
using GodotTorrent.Disk;
using GodotTorrent.Storage;

namespace GodotTorrent.Session;

/// <summary>
/// Handle operations: renaming and moving files, reading pieces, per-file progress, piece
/// availability, clearing errors, flushing, upload-only mode and the per-torrent connection limit.
/// </summary>
internal sealed partial class TorrentRuntime
{
    // Storage operations run alone, one at a time; block and piece reads go through it too.
    private readonly DiskFence _fence = new();
    private bool _uploadOnly;
    private int? _maxConnections;

    /// <summary>The most peers this torrent keeps connected: its own limit, capped by the session's per-torrent limit.</summary>
    private int MaxPeers
    {
        get
        {
            int own = _maxConnections ?? _params.MaxConnections;
            return own > 0 ? Math.Min(own, Settings.MaxConnectionsPerTorrent) : Settings.MaxConnectionsPerTorrent;
        }
    }

    public async Task RenameFileAsync(int fileIndex, string newPath)
    {
        if (Torrent is null || (uint)fileIndex >= (uint)Torrent.Files.Count || Torrent.Files[fileIndex].IsPad || string.IsNullOrWhiteSpace(newPath))
        {
            var message = Torrent is null ? "the torrent's metadata is not known yet" : $"there is no file {fileIndex}, or the new path is empty";
            _session.Alerts.Post(new FileRenameFailedAlert(Handle, fileIndex, ErrorCode.InvalidArgument, message));
            throw new TorrentException(ErrorCode.InvalidArgument, $"Cannot rename: {message}.");
        }

        await WhenCheckedAsync().ConfigureAwait(true);
        if (_storage is null)
        {
            const string message = "the torrent's files are not open (its check failed)";
            _session.Alerts.Post(new FileRenameFailedAlert(Handle, fileIndex, ErrorCode.InvalidArgument, message));
            throw new TorrentException(ErrorCode.InvalidArgument, $"Cannot rename: {message}.");
        }

        try
        {
            await RunFencedAsync(cancelRequests: true, storage => storage.RenameFileAsync(fileIndex, newPath).AsTask()).ConfigureAwait(true);
        }
        catch (StorageException e)
        {
            _session.Alerts.Post(new FileRenameFailedAlert(Handle, fileIndex, e.ErrorCode, e.Message));
            throw new TorrentException(e.ErrorCode, e.Message, e);
        }

        _session.Alerts.Post(new FileRenamedAlert(Handle, fileIndex, _storage.GetFilePath(fileIndex)));
    }

    public async Task MoveStorageAsync(string newSavePath, IProgress<long>? progress)
    {
        string target;
        try
        {
            target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(newSavePath));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            _session.Alerts.Post(new StorageMovedFailedAlert(Handle, newSavePath ?? "", ErrorCode.InvalidArgument, e.Message));
            throw new TorrentException(ErrorCode.InvalidArgument, $"'{newSavePath}' is not a usable folder: {e.Message}", e);
        }

        await WhenCheckedAsync().ConfigureAwait(true);
        if (_storage is not null)
        {
            try
            {
                await RunFencedAsync(cancelRequests: true, storage => storage.MoveAsync(target, progress).AsTask()).ConfigureAwait(true);
            }
            catch (StorageException e)
            {
                _session.Alerts.Post(new StorageMovedFailedAlert(Handle, target, e.ErrorCode, e.Message));
                throw new TorrentException(e.ErrorCode, e.Message, e);
            }
        }

        // Without open storage (a magnet still fetching its metadata) there is nothing to move yet:
        // the files will be created in the new place.
        SavePath = target;
        _session.Alerts.Post(new StorageMovedAlert(Handle, target));
        RefreshStatus();
    }

    public IReadOnlyList<long> GetFileProgress()
    {
        if (Torrent is null)
        {
            return [];
        }

        return _fileDone.Length == Torrent.Files.Count ? [.. _fileDone] : new long[Torrent.Files.Count];
    }

    public bool HavePiece(int piece)
    {
        CheckPieceIndex(piece);
        return _have.Count > piece && _have[piece];
    }

    public async Task<ReadOnlyMemory<byte>> ReadPieceAsync(int piece)
    {
        if (Torrent is null || (uint)piece >= (uint)Torrent.PieceCount)
        {
            _session.Alerts.Post(new ReadPieceAlert(Handle, piece, ReadOnlyMemory<byte>.Empty, ErrorCode.InvalidArgument));
            throw new TorrentException(ErrorCode.InvalidArgument, Torrent is null ? "The torrent's metadata is not known yet." : $"There is no piece {piece}.");
        }

        if (_storage is null || !(_have.Count > piece && _have[piece]))
        {
            _session.Alerts.Post(new ReadPieceAlert(Handle, piece, ReadOnlyMemory<byte>.Empty, ErrorCode.PieceNotVerified));
            throw new TorrentException(ErrorCode.PieceNotVerified, $"Piece {piece} is not verified yet.");
        }

        // A move or rename in progress must not see reads (the fence holds this one); one that starts later waits for it.
        var data = new byte[Torrent.GetPieceSize(piece)];
        try
        {
            await _fence.ReadAsync(_storage, piece, 0, data).ConfigureAwait(true);
        }
        catch (StorageException e)
        {
            _session.Alerts.Post(new ReadPieceAlert(Handle, piece, ReadOnlyMemory<byte>.Empty, e.ErrorCode));
            Fail(e.ErrorCode, e.Message, e);
            throw new TorrentException(e.ErrorCode, e.Message, e);
        }

        _session.Alerts.Post(new ReadPieceAlert(Handle, piece, data));
        return data;
    }

    public int[] GetPieceAvailability()
    {
        if (Torrent is null)
        {
            return [];
        }

        var availability = new int[Torrent.PieceCount];
        if (_picker is not null)
        {
            for (int i = 0; i < availability.Length; i++)
            {
                availability[i] = _picker.Availability(i);
            }

            return availability;
        }

        // While the files are checked the picker does not exist yet; the peers' bitfields do.
        foreach (var peer in _peers.Values)
        {
            if (peer.Have is { } have && have.Count == availability.Length)
            {
                for (int i = have.NextSet(0); i >= 0; i = have.NextSet(i + 1))
                {
                    availability[i]++;
                }
            }
        }

        return availability;
    }

    public async Task ClearErrorAsync()
    {
        if (!_lifecycle.ClearError(out bool resume))
        {
            return;
        }

        Task? check = null;
        if (Torrent is not null)
        {
            // The data is checked again so nothing the error may have spoiled is trusted.
            var writer = _writer;
            _picker = null;
            _writer = null;
            check = _checking = CheckAfterErrorAsync(writer);
        }

        if (resume && _lifecycle.IsPaused)
        {
            Resume();
        }

        RefreshStatus();
        if (check is not null)
        {
            await check.ConfigureAwait(true);
        }
    }

    public async Task FlushStorageAsync()
    {
        if (_storage is null)
        {
            return;
        }

        try
        {
            if (_writer is not null)
            {
                await _writer.WhenIdleAsync().ConfigureAwait(true);
            }

            await _storage.FlushAsync().ConfigureAwait(true);
        }
        catch (StorageException e)
        {
            Fail(e.ErrorCode, e.Message, e);
            throw new TorrentException(e.ErrorCode, e.Message, e);
        }
    }

    public void SetUploadOnly(bool uploadOnly)
    {
        if (_uploadOnly == uploadOnly)
        {
            return;
        }

        _uploadOnly = uploadOnly;
        foreach (var peer in _peers.Values)
        {
            UpdateInterest(peer);

            // BEP 21: a new extension handshake tells the peer the upload_only flag changed.
            if (peer.SentExtensions)
            {
                peer.SendExtended(0, OurExtensionHandshake(peer).ToBytes());
            }

            Refill(peer);
        }

        RefreshStatus();
    }

    public void SetMaxConnections(int limit)
    {
        if (limit < 0)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, "A connection limit is 0 (the session's limit) or positive.");
        }

        _maxConnections = limit;
        int excess = _peers.Count - MaxPeers;
        if (excess > 0)
        {
            // The newest connections go first: the older ones have proven themselves.
            foreach (var peer in _peers.Values.Where(p => !p.IsClosed).OrderByDescending(p => p.ConnectedAt).Take(excess).ToList())
            {
                Disconnect(peer, ErrorCode.TooManyConnections, "the torrent's connection limit was lowered");
            }
        }

        ConnectToCandidates(Now);
    }

    public async Task<ResumeData> SaveResumeDataAsync()
    {
        try
        {
            var data = await CaptureResumeDataAsync().ConfigureAwait(true);
            _session.Alerts.Post(new SaveResumeDataAlert(Handle, data));
            return data;
        }
        catch (TorrentException e)
        {
            // Storage errors are torrent exceptions too.
            _session.Alerts.Post(new SaveResumeDataFailedAlert(Handle, e.ErrorCode, e.Message));
            throw;
        }
    }

    /// <summary>Files whose path differs from the torrent's (renamed at run time), for resume data.</summary>
    private Dictionary<int, string> RenamedFiles()
    {
        var renamed = new Dictionary<int, string>();
        if (_storage is null || Torrent is null)
        {
            return renamed;
        }

        foreach (var file in Torrent.Files)
        {
            if (!file.IsPad && _storage.GetFilePath(file.Index) is var path && !string.Equals(path, file.Path.Replace('\\', '/'), StringComparison.Ordinal))
            {
                renamed[file.Index] = path;
            }
        }

        return renamed;
    }

    /// <summary>Applies the renames kept in resume data before the files are checked.</summary>
    private async Task ApplyResumedRenamesAsync()
    {
        if (_params.ResumeData is not { } resume || _storage is null)
        {
            return;
        }

        foreach (var (index, path) in resume.RenamedFiles)
        {
            if ((uint)index < (uint)Torrent!.Files.Count && !Torrent.Files[index].IsPad)
            {
                await _storage.RenameFileAsync(index, path).ConfigureAwait(true);
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
        if (_checking is { IsCompleted: false } checking)
        {
            await checking.ConfigureAwait(true);
        }
    }

    private async Task CheckAfterErrorAsync(Storage.PieceWriter? previous)
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
    private Task RunFencedAsync(bool cancelRequests, Func<IPieceStorage, Task> operation) =>
        _fence.RunAsync(
            hold: () =>
            {
                _fenced = true;
                if (cancelRequests)
                {
                    CancelAllRequests();
                }
            },
            drainWrites: () => _writer?.WhenIdleAsync() ?? Task.CompletedTask,
            operation: () => operation(_storage!),
            lift: () =>
            {
                _fenced = false;
                if (!_lifecycle.IsStopped)
                {
                    foreach (var peer in _peers.Values)
                    {
                        Refill(peer);
                        ServeUploads(peer);
                    }
                }
            });

    private void CancelAllRequests()
    {
        foreach (var peer in _peers.Values)
        {
            _requests.DropAll(peer, sendCancels: true);
        }
    }
}
