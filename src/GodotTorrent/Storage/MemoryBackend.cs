using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>The in-memory backend behind <see cref="MemoryStorage"/>.</summary>
internal sealed class MemoryBackend : StorageCore
{
    private readonly object _lock = new();
    private readonly byte[]?[] _files;
    private readonly DateTimeOffset[] _writeTimes;
    private readonly Dictionary<int, byte[]> _parts = [];

    public MemoryBackend(TorrentInfo torrent, string savePath)
        : base(torrent, savePath)
    {
        _files = new byte[torrent.Files.Count][];
        _writeTimes = new DateTimeOffset[torrent.Files.Count];
    }

    public override ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public override ValueTask MoveAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newSavePath);
        cancellationToken.ThrowIfCancellationRequested();
        long total;
        lock (_lock)
        {
            total = _files.Sum(f => f?.LongLength ?? 0);
        }

        SavePath = newSavePath;
        progress?.Report(total);
        return ValueTask.CompletedTask;
    }

    public override ValueTask DeleteFilesAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Array.Clear(_files);
            _parts.Clear();
        }

        return ValueTask.CompletedTask;
    }

    public override StorageFileState GetFileState(int fileIndex)
    {
        CheckFile(fileIndex);
        lock (_lock)
        {
            var data = _files[fileIndex];
            return data is null ? StorageFileState.Missing : new StorageFileState(true, data.LongLength, _writeTimes[fileIndex]);
        }
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected override ValueTask ReadFileAsync(int fileIndex, long fileOffset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var data = _files[fileIndex];
            if (data is null || fileOffset + buffer.Length > data.LongLength)
            {
                throw new StorageException(ErrorCode.FileMissing, $"File {fileIndex} is missing or too short.", GetFilePath(fileIndex), fileIndex);
            }

            data.AsSpan(checked((int)fileOffset), buffer.Length).CopyTo(buffer.Span);
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask WriteFileAsync(int fileIndex, long fileOffset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var file = _files[fileIndex] ??= Allocate(fileIndex);
            data.Span.CopyTo(file.AsSpan(checked((int)fileOffset)));
            _writeTimes[fileIndex] = DateTimeOffset.UtcNow;
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask CreateEmptyFileAsync(int fileIndex, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _files[fileIndex] ??= [];
            _writeTimes[fileIndex] = DateTimeOffset.UtcNow;
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask ReadPartAsync(int piece, int pieceOffset, Memory<byte> buffer, int fileIndex, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_parts.TryGetValue(piece, out var part))
            {
                throw new StorageException(ErrorCode.FileMissing, $"No bytes of skipped file {fileIndex} are kept for piece {piece}.", GetFilePath(fileIndex), fileIndex);
            }

            part.AsSpan(pieceOffset, buffer.Length).CopyTo(buffer.Span);
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask WritePartAsync(int piece, int pieceOffset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_parts.TryGetValue(piece, out var part))
            {
                part = new byte[Layout.GetPieceSize(piece)];
                _parts.Add(piece, part);
            }

            data.Span.CopyTo(part.AsSpan(pieceOffset));
        }

        return ValueTask.CompletedTask;
    }

    protected override bool HasPart(int piece)
    {
        lock (_lock)
        {
            return _parts.ContainsKey(piece);
        }
    }

    protected override ValueTask FreePartAsync(int piece, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _parts.Remove(piece);
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask RenameOnBackendAsync(int fileIndex, string oldRelativePath, string newRelativePath, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    private byte[] Allocate(int fileIndex)
    {
        long length = Torrent.Files[fileIndex].Length;
        if (length > Array.MaxLength)
        {
            throw new StorageException(ErrorCode.DiskFull, $"File {fileIndex} is too large to keep in memory.", GetFilePath(fileIndex), fileIndex);
        }

        return new byte[length];
    }
}
