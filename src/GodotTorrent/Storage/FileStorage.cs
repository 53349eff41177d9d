using GodotTorrent.Metainfo;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Storage;

/// <summary>
/// The default storage: the torrent's files on the local disk, read and written with
/// <see cref="RandomAccess"/> on a bounded least-recently-used set of open handles. Files are
/// created (sparse where the file system allows) on their first written byte, so a skipped file
/// never appears; bytes of skipped files that share a piece with wanted ones go to a part file
/// (<c>.&lt;info-hash&gt;.parts</c> in the save folder). Every resolved path is checked to stay
/// inside the save folder, symlinks included.
/// </summary>
public sealed class FileStorage : IPieceStorage, IBlockingPieceReads, IVectoredPieceWrites
{
    private readonly FileBackend _core;

    /// <summary>Creates the storage; nothing touches the disk until the first write.</summary>
    public FileStorage(TorrentInfo torrent, string savePath, FileStorageOptions? options = null, ILogger? logger = null)
    {
        _core = new FileBackend(torrent, savePath, options ?? FileStorageOptions.Default, logger);
    }

    /// <inheritdoc/>
    public TorrentInfo Torrent => _core.Torrent;

    /// <inheritdoc/>
    public string SavePath => _core.SavePath;

    /// <inheritdoc/>
    public ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _core.ReadAsync(piece, offset, buffer, cancellationToken);

    /// <inheritdoc/>
    bool IBlockingPieceReads.TryReadBlocking(int piece, int offset, Span<byte> buffer) => _core.TryReadBlocking(piece, offset, buffer);

    /// <inheritdoc/>
    public ValueTask WriteAsync(int piece, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _core.WriteAsync(piece, offset, data, cancellationToken);

    /// <inheritdoc/>
    bool IVectoredPieceWrites.TryWriteBlocking(int piece, int offset, IReadOnlyList<ReadOnlyMemory<byte>> blocks) => _core.TryWriteBlocking(piece, offset, blocks);

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _core.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities, CancellationToken cancellationToken = default) =>
        _core.SetFilePrioritiesAsync(priorities, cancellationToken);

    /// <inheritdoc/>
    public ValueTask MoveAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        _core.MoveAsync(newSavePath, progress, cancellationToken);

    /// <inheritdoc/>
    public ValueTask RenameFileAsync(int fileIndex, string newRelativePath, CancellationToken cancellationToken = default) =>
        _core.RenameFileAsync(fileIndex, newRelativePath, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DeleteFilesAsync(CancellationToken cancellationToken = default) => _core.DeleteFilesAsync(cancellationToken);

    /// <inheritdoc/>
    public StorageFileState GetFileState(int fileIndex) => _core.GetFileState(fileIndex);

    /// <inheritdoc/>
    public string GetFilePath(int fileIndex) => _core.GetFilePath(fileIndex);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _core.DisposeAsync();
}
