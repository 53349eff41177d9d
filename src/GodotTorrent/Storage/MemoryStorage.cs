using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>
/// Storage in memory with the same contract as <see cref="FileStorage"/> (files appear when
/// first written, skipped files keep their bytes aside): for tests, and for streaming content
/// that never needs a disk. A file's buffer is allocated whole on its first write.
/// </summary>
public sealed class MemoryStorage : IPieceStorage
{
    private readonly MemoryBackend _core;

    /// <summary>Creates an empty storage.</summary>
    public MemoryStorage(TorrentInfo torrent, string savePath = "")
    {
        _core = new MemoryBackend(torrent, savePath);
    }

    /// <inheritdoc/>
    public TorrentInfo Torrent => _core.Torrent;

    /// <inheritdoc/>
    public string SavePath => _core.SavePath;

    /// <inheritdoc/>
    public ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _core.ReadAsync(piece, offset, buffer, cancellationToken);

    /// <inheritdoc/>
    public ValueTask WriteAsync(int piece, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _core.WriteAsync(piece, offset, data, cancellationToken);

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
