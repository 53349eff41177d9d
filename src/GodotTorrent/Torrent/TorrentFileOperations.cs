using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Torrent;

/// <summary>
/// The handle's operations on a torrent's files: rename, move, read a verified piece, flush and
/// per-file progress. Renames and moves wait for a running check and run fenced.
/// </summary>
internal sealed class TorrentFileOperations
{
    private readonly TorrentData _data;
    private readonly ITorrentDataHost _host;
    private readonly AlertManager _alerts;

    public TorrentFileOperations(TorrentData data, ITorrentDataHost host, AlertManager alerts)
    {
        _data = data;
        _host = host;
        _alerts = alerts;
    }

    private TorrentHandle Handle => _host.Handle;

    private TorrentInfo? Torrent => _host.Torrent;

    public async Task RenameFileAsync(int fileIndex, string newPath)
    {
        if (Torrent is null || (uint)fileIndex >= (uint)Torrent.Files.Count || Torrent.Files[fileIndex].IsPad || string.IsNullOrWhiteSpace(newPath))
        {
            var message = Torrent is null ? "the torrent's metadata is not known yet" : $"there is no file {fileIndex}, or the new path is empty";
            _alerts.Post(new FileRenameFailedAlert(Handle, fileIndex, ErrorCode.InvalidArgument, message));
            throw new TorrentException(ErrorCode.InvalidArgument, $"Cannot rename: {message}.");
        }

        await WhenCheckedAsync().ConfigureAwait(true);
        if (_data.Storage is null)
        {
            const string message = "the torrent's files are not open (its check failed)";
            _alerts.Post(new FileRenameFailedAlert(Handle, fileIndex, ErrorCode.InvalidArgument, message));
            throw new TorrentException(ErrorCode.InvalidArgument, $"Cannot rename: {message}.");
        }

        try
        {
            await _data.RunFencedAsync(cancelRequests: true, storage => storage.RenameFileAsync(fileIndex, newPath).AsTask()).ConfigureAwait(true);
        }
        catch (StorageException e)
        {
            _alerts.Post(new FileRenameFailedAlert(Handle, fileIndex, e.ErrorCode, e.Message));
            throw new TorrentException(e.ErrorCode, e.Message, e);
        }

        _alerts.Post(new FileRenamedAlert(Handle, fileIndex, _data.Storage.GetFilePath(fileIndex)));
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
            _alerts.Post(new StorageMovedFailedAlert(Handle, newSavePath ?? "", ErrorCode.InvalidArgument, e.Message));
            throw new TorrentException(ErrorCode.InvalidArgument, $"'{newSavePath}' is not a usable folder: {e.Message}", e);
        }

        await WhenCheckedAsync().ConfigureAwait(true);
        if (_data.Storage is not null)
        {
            try
            {
                await _data.RunFencedAsync(cancelRequests: true, storage => storage.MoveAsync(target, progress).AsTask()).ConfigureAwait(true);
            }
            catch (StorageException e)
            {
                _alerts.Post(new StorageMovedFailedAlert(Handle, target, e.ErrorCode, e.Message));
                throw new TorrentException(e.ErrorCode, e.Message, e);
            }
        }

        // Without open storage (a magnet still fetching its metadata) there is nothing to move yet:
        // the files will be created in the new place.
        _host.MovedTo(target);
        _alerts.Post(new StorageMovedAlert(Handle, target));
    }

    public IReadOnlyList<long> GetFileProgress()
    {
        if (Torrent is null)
        {
            return [];
        }

        return _data.FileDone.Length == Torrent.Files.Count ? [.. _data.FileDone] : new long[Torrent.Files.Count];
    }

    public bool HavePiece(int piece)
    {
        CheckPieceIndex(piece);
        return _data.Have.Count > piece && _data.Have[piece];
    }

    public async Task<ReadOnlyMemory<byte>> ReadPieceAsync(int piece)
    {
        if (Torrent is null || (uint)piece >= (uint)Torrent.PieceCount)
        {
            _alerts.Post(new ReadPieceAlert(Handle, piece, ReadOnlyMemory<byte>.Empty, ErrorCode.InvalidArgument));
            throw new TorrentException(ErrorCode.InvalidArgument, Torrent is null ? "The torrent's metadata is not known yet." : $"There is no piece {piece}.");
        }

        if (_data.Storage is null || !(_data.Have.Count > piece && _data.Have[piece]))
        {
            _alerts.Post(new ReadPieceAlert(Handle, piece, ReadOnlyMemory<byte>.Empty, ErrorCode.PieceNotVerified));
            throw new TorrentException(ErrorCode.PieceNotVerified, $"Piece {piece} is not verified yet.");
        }

        // A move or rename in progress must not see reads (the fence holds this one); one that starts later waits for it.
        var data = new byte[Torrent.GetPieceSize(piece)];
        try
        {
            await _data.Fence.ReadAsync(_data.Storage, piece, 0, data).ConfigureAwait(true);
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
        if (_data.Storage is null)
        {
            return;
        }

        try
        {
            if (_data.Writer is not null)
            {
                await _data.Writer.WhenIdleAsync().ConfigureAwait(true);
            }

            await _data.Storage.FlushAsync().ConfigureAwait(true);
        }
        catch (StorageException e)
        {
            _host.Fail(e.ErrorCode, e.Message, e);
            throw new TorrentException(e.ErrorCode, e.Message, e);
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
        if (_data.Checking is { IsCompleted: false } checking)
        {
            await checking.ConfigureAwait(true);
        }
    }
}
