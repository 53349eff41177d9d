using GodotTorrent.Metainfo;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Storage;

/// <summary>The disk backend behind <see cref="FileStorage"/> (work in progress).</summary>
internal sealed class FileBackend : StorageCore
{
    public FileBackend(TorrentInfo torrent, string savePath, FileStorageOptions options, ILogger? logger)
        : base(torrent, savePath)
    {
        _ = options;
        _ = logger;
    }

    public override ValueTask FlushAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public override ValueTask MoveAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public override ValueTask DeleteFilesAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public override StorageFileState GetFileState(int fileIndex) => throw new NotImplementedException();

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected override ValueTask ReadFileAsync(int fileIndex, long fileOffset, Memory<byte> buffer, CancellationToken cancellationToken) => throw new NotImplementedException();

    protected override ValueTask WriteFileAsync(int fileIndex, long fileOffset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => throw new NotImplementedException();

    protected override ValueTask CreateEmptyFileAsync(int fileIndex, CancellationToken cancellationToken) => throw new NotImplementedException();

    protected override ValueTask ReadPartAsync(int piece, int pieceOffset, Memory<byte> buffer, int fileIndex, CancellationToken cancellationToken) => throw new NotImplementedException();

    protected override ValueTask WritePartAsync(int piece, int pieceOffset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => throw new NotImplementedException();

    protected override bool HasPart(int piece) => false;

    protected override ValueTask FreePartAsync(int piece, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    protected override ValueTask RenameOnBackendAsync(int fileIndex, string oldRelativePath, string newRelativePath, CancellationToken cancellationToken) => throw new NotImplementedException();
}
