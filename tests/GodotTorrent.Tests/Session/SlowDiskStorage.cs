using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Session;

/// <summary>Memory storage whose writes each take a while, like a slow disk: the engine's disk buffer fills up.</summary>
internal sealed class SlowDiskStorage(TorrentInfo torrent, string savePath, TimeSpan writeDelay) : IPieceStorage
{
    private readonly MemoryStorage _inner = new(torrent, savePath);

    public static IPieceStorageFactory Factory(TimeSpan writeDelay) => new SlowFactory(writeDelay);

    public TorrentInfo Torrent => _inner.Torrent;

    public string SavePath => _inner.SavePath;

    public ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(piece, offset, buffer, cancellationToken);

    public async ValueTask WriteAsync(int piece, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await Task.Delay(writeDelay, cancellationToken);
        await _inner.WriteAsync(piece, offset, data, cancellationToken);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public ValueTask SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities, CancellationToken cancellationToken = default) => _inner.SetFilePrioritiesAsync(priorities, cancellationToken);

    public ValueTask MoveAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default) => _inner.MoveAsync(newSavePath, progress, cancellationToken);

    public ValueTask RenameFileAsync(int fileIndex, string newRelativePath, CancellationToken cancellationToken = default) => _inner.RenameFileAsync(fileIndex, newRelativePath, cancellationToken);

    public ValueTask DeleteFilesAsync(CancellationToken cancellationToken = default) => _inner.DeleteFilesAsync(cancellationToken);

    public StorageFileState GetFileState(int fileIndex) => _inner.GetFileState(fileIndex);

    public string GetFilePath(int fileIndex) => _inner.GetFilePath(fileIndex);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private sealed class SlowFactory(TimeSpan writeDelay) : IPieceStorageFactory
    {
        public IPieceStorage Create(TorrentInfo torrent, string savePath) => new SlowDiskStorage(torrent, savePath, writeDelay);
    }
}
