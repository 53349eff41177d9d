using System.Buffers;
using GodotTorrent.Metainfo;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Storage;

/// <summary>The disk backend behind <see cref="FileStorage"/>.</summary>
internal sealed class FileBackend : StorageCore
{
    private const int CopyBufferSize = 1 << 20;

    // Written data is flushed in the background every 64 MiB (see BackgroundFlush).
    private const long BackgroundFlushBytes = 64L << 20;

    private static readonly Action<ILogger, string, Exception?> LogCleanupFailed =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(401, "StorageCleanupFailed"), "Could not remove {Path}");

    private static readonly Action<ILogger, string, Exception?> LogBackgroundFlushFailed =
        LoggerMessage.Define<string>(LogLevel.Debug, new EventId(402, "StorageBackgroundFlushFailed"), "A background flush under {Path} failed (the next flush reports it)");

    private readonly FileStorageOptions _options;
    private readonly ILogger? _logger;
    private readonly FileHandleCache _handles;
    private readonly PartFile _part;
    private readonly BackgroundFlush _backgroundFlush;
    private string _root;

    public FileBackend(TorrentInfo torrent, string savePath, FileStorageOptions options, ILogger? logger)
        : base(torrent, savePath)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxOpenFiles, 1);
        _options = options;
        _logger = logger;
        _root = SafePaths.Root(savePath);
        _handles = new FileHandleCache(options.MaxOpenFiles);
        _part = new PartFile(Layout, () => PartPath);
        _backgroundFlush = new BackgroundFlush(BackgroundFlushBytes, () => Task.Run(FlushInBackground));
    }

    private string PartPath => SafePaths.Resolve(_root, "." + Torrent.InfoHashes.Primary.ToHex() + ".parts");

    public override async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await Task.Run(
                () =>
                {
                    _handles.FlushWritable();
                    _part.Flush();
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "flush", _root, -1);
        }
    }

    // Only the files' data: an error here is not reported, since the flush that makes the torrent
    // durable (on completion, resume data, close) meets it again and reports it.
    private void FlushInBackground()
    {
        try
        {
            _handles.FlushWritable();
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            if (_logger is not null)
            {
                LogBackgroundFlushFailed(_logger, _root, ex);
            }
        }
    }

    public override async ValueTask MoveAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(newSavePath);
        string target = SafePaths.Root(newSavePath);
        if (SafePaths.SamePath(target, _root))
        {
            return;
        }

        CloseAll();
        var moves = new List<(string Source, string Destination)>();
        foreach (var file in Torrent.Files)
        {
            if (IsMaterialised(file.Index))
            {
                string source = FullPath(file.Index);
                if (File.Exists(source))
                {
                    moves.Add((source, SafePaths.Resolve(target, GetFilePath(file.Index))));
                }
            }
        }

        string partSource = PartPath;
        if (File.Exists(partSource))
        {
            moves.Add((partSource, SafePaths.Resolve(target, Path.GetFileName(partSource))));
        }

        foreach (var (_, destination) in moves)
        {
            if (File.Exists(destination) || Directory.Exists(destination))
            {
                throw new StorageException(ErrorCode.FileExists, $"Cannot move the torrent: {destination} already exists.", destination);
            }
        }

        // Copy everything, check it, and only then delete the sources: a failure at any point
        // leaves the complete set where it was, whether or not the folders share a file system.
        var createdFiles = new List<string>();
        var createdFolders = new List<string>();
        try
        {
            long copied = 0;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                foreach (var (source, destination) in moves)
                {
                    CreateFolders(target, Path.GetDirectoryName(destination)!, createdFolders);
                    createdFiles.Add(destination);
                    copied = await CopyAsync(source, destination, buffer, copied, progress, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            foreach (var (source, destination) in moves)
            {
                if (new FileInfo(source).Length != new FileInfo(destination).Length)
                {
                    throw new StorageException(ErrorCode.StorageIo, $"The copy of {source} at {destination} has the wrong size.", destination);
                }
            }
        }
        catch (Exception ex)
        {
            foreach (string file in createdFiles)
            {
                TryDelete(file);
            }

            RemoveEmptyFolders(createdFolders);
            if (StorageErrors.IsIoFailure(ex))
            {
                throw StorageErrors.Wrap(ex, "move the torrent to", target, -1);
            }

            throw;
        }

        var oldFolders = new List<string>();
        foreach (var (source, _) in moves)
        {
            TryDelete(source);
            AddFolders(_root, source, oldFolders);
        }

        RemoveEmptyFolders(oldFolders);
        _root = target;
        SavePath = newSavePath;
    }

    public override ValueTask DeleteFilesAsync(CancellationToken cancellationToken = default)
    {
        CloseAll();
        var folders = new List<string>();
        try
        {
            foreach (var file in Torrent.Files)
            {
                if (!IsMaterialised(file.Index))
                {
                    continue;
                }

                string path = FullPath(file.Index);
                if (File.Exists(path))
                {
                    File.Delete(path);
                }

                AddFolders(_root, path, folders);
            }

            _part.Delete();
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "delete the files of", _root, -1);
        }

        RemoveEmptyFolders(folders);
        return ValueTask.CompletedTask;
    }

    public override StorageFileState GetFileState(int fileIndex)
    {
        CheckFile(fileIndex);
        if (!IsMaterialised(fileIndex))
        {
            return StorageFileState.Missing;
        }

        string path = FullPath(fileIndex);
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? new StorageFileState(true, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero)) : StorageFileState.Missing;
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "inspect", path, fileIndex);
        }
    }

    public override ValueTask DisposeAsync()
    {
        CloseAll();
        return ValueTask.CompletedTask;
    }

    protected override async ValueTask ReadFileAsync(int fileIndex, long fileOffset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var handle = AcquireForRead(fileIndex);
        try
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int read = await RandomAccess.ReadAsync(handle.Handle, buffer[total..], fileOffset + total, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw StorageErrors.Missing(handle.Path, fileIndex, $"is shorter than {fileOffset + buffer.Length} bytes");
                }

                total += read;
            }
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "read", handle.Path, fileIndex);
        }
        finally
        {
            _handles.Release(handle);
        }
    }

    protected override bool CanReadBlocking => true;

    protected override void ReadFileBlocking(int fileIndex, long fileOffset, Span<byte> buffer)
    {
        var handle = AcquireForRead(fileIndex);
        try
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int read = RandomAccess.Read(handle.Handle, buffer[total..], fileOffset + total);
                total += read > 0 ? read : throw StorageErrors.Missing(handle.Path, fileIndex, $"is shorter than {fileOffset + buffer.Length} bytes");
            }
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "read", handle.Path, fileIndex);
        }
        finally
        {
            _handles.Release(handle);
        }
    }

    protected override ValueTask WriteFileAsync(int fileIndex, long fileOffset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var handle = _handles.Acquire(fileIndex, write: true, _ => OpenForWrite(fileIndex));
        try
        {
            // Writes come from the write path's thread-pool work already; the asynchronous call
            // would only queue the same blocking write to another pool thread (a hop per block).
            RandomAccess.Write(handle.Handle, data.Span, fileOffset);
            _backgroundFlush.Written(data.Length);
            return ValueTask.CompletedTask;
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "write", handle.Path, fileIndex);
        }
        finally
        {
            _handles.Release(handle);
        }
    }

    protected override bool CanWriteBlocking => true;

    protected override void WriteFileBlocking(int fileIndex, long fileOffset, IReadOnlyList<ReadOnlyMemory<byte>> data)
    {
        var handle = _handles.Acquire(fileIndex, write: true, _ => OpenForWrite(fileIndex));
        try
        {
            // One pwritev for the whole run (the runtime loops over short writes itself).
            RandomAccess.Write(handle.Handle, data, fileOffset);
            _backgroundFlush.Written(IVectoredPieceWrites.RunLength(data));
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "write", handle.Path, fileIndex);
        }
        finally
        {
            _handles.Release(handle);
        }
    }

    protected override ValueTask CreateEmptyFileAsync(int fileIndex, CancellationToken cancellationToken)
    {
        string path = FullPath(fileIndex);
        try
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.Create(path).Dispose();
            }
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "create", path, fileIndex);
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask ReadPartAsync(int piece, int pieceOffset, Memory<byte> buffer, int fileIndex, CancellationToken cancellationToken) =>
        _part.ReadAsync(piece, pieceOffset, buffer, fileIndex, GetFilePath(fileIndex), cancellationToken);

    protected override ValueTask WritePartAsync(int piece, int pieceOffset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _part.WriteAsync(piece, pieceOffset, data, cancellationToken);

    protected override bool HasPart(int piece) => _part.Has(piece);

    protected override ValueTask FreePartAsync(int piece, CancellationToken cancellationToken)
    {
        _part.Free(piece);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask RenameOnBackendAsync(int fileIndex, string oldRelativePath, string newRelativePath, CancellationToken cancellationToken)
    {
        string source = SafePaths.Resolve(_root, oldRelativePath);
        string destination = SafePaths.Resolve(_root, newRelativePath);
        _handles.Close(fileIndex);
        try
        {
            if (File.Exists(source))
            {
                if (File.Exists(destination) || Directory.Exists(destination))
                {
                    throw new StorageException(ErrorCode.FileExists, $"Cannot rename file {fileIndex}: {destination} already exists.", destination, fileIndex);
                }

                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Move(source, destination);
                var folders = new List<string>();
                AddFolders(_root, source, folders);
                RemoveEmptyFolders(folders);
            }
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "rename", source, fileIndex);
        }

        return ValueTask.CompletedTask;
    }

    private static void CreateFolders(string root, string folder, List<string> created)
    {
        var missing = new Stack<string>();
        for (string? current = folder; current is not null && !SafePaths.SamePath(current, root) && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Push(current);
        }

        if (!Directory.Exists(root))
        {
            missing.Push(root);
        }

        while (missing.TryPop(out var path))
        {
            Directory.CreateDirectory(path);
            created.Add(path);
        }
    }

    // Every folder between the file and the save folder (exclusive): the ones the torrent's layout implies.
    private static void AddFolders(string root, string file, List<string> folders)
    {
        for (string? current = Path.GetDirectoryName(file); current is not null && SafePaths.IsInside(root, current); current = Path.GetDirectoryName(current))
        {
            folders.Add(current);
        }
    }

    private static async Task<long> CopyAsync(string source, string destination, byte[] buffer, long copied, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (from.ConfigureAwait(false))
        {
            var to = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (to.ConfigureAwait(false))
            {
                int read;
                while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    copied += read;
                    progress?.Report(copied);
                }

                to.Flush(flushToDisk: true);
            }
        }

        // Resume data validates files by size and modification time, so the copies keep the originals' times.
        File.SetLastWriteTimeUtc(destination, File.GetLastWriteTimeUtc(source));
        return copied;
    }

    private void RemoveEmptyFolders(List<string> folders)
    {
        foreach (string folder in folders.Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length))
        {
            try
            {
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    Directory.Delete(folder);
                }
            }
            catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
            {
                LogCleanup(folder, ex);
            }
        }
    }

    private void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            LogCleanup(file, ex);
        }
    }

    private void LogCleanup(string path, Exception ex)
    {
        if (_logger is not null)
        {
            LogCleanupFailed(_logger, path, ex);
        }
    }

    private string FullPath(int fileIndex) => SafePaths.Resolve(_root, GetFilePath(fileIndex));

    private void CloseAll()
    {
        _handles.CloseAll();
        _part.Close();
    }

    private FileHandleCache.Entry AcquireForRead(int fileIndex)
    {
        var handle = _handles.Acquire(fileIndex, write: false, _ => OpenForRead(fileIndex));
        if (_handles.NeedsCheck(handle, _options.HandleCheckInterval) && !File.Exists(handle.Path))
        {
            // An open handle keeps a deleted file readable on Unix; a seeding torrent must notice instead.
            _handles.Release(handle);
            _handles.Close(fileIndex);
            throw StorageErrors.Missing(handle.Path, fileIndex, "was deleted");
        }

        return handle;
    }

    private FileStream OpenForRead(int fileIndex)
    {
        string path = FullPath(fileIndex);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw StorageErrors.Missing(path, fileIndex, "does not exist");
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "open", path, fileIndex);
        }
    }

    private FileStream OpenForWrite(int fileIndex)
    {
        string path = FullPath(fileIndex);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 0, FileOptions.Asynchronous);
            try
            {
                // Setting the length without writing leaves a sparse file where the file system supports it.
                long length = Torrent.Files[fileIndex].Length;
                if (stream.Length < length)
                {
                    stream.SetLength(length);
                }
            }
            catch
            {
                stream.Dispose();
                throw;
            }

            return stream;
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "create", path, fileIndex);
        }
    }
}
