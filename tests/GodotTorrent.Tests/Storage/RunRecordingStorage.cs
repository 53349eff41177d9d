using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

/// <summary>A FileStorage that records each vectored run the writer hands it (or fails chosen ones) and counts reads.</summary>
internal sealed class RunRecordingStorage(TorrentInfo torrent, string savePath) : IPieceStorage, IVectoredPieceWrites
{
    private readonly FileStorage _inner = new(torrent, savePath);

    /// <summary>Every run written: piece, offset and the number of blocks, in order.</summary>
    public List<(int Piece, int Offset, int Blocks)> Runs { get; } = [];

    public int SingleWrites { get; private set; }

    public int Reads { get; private set; }

    /// <summary>Pieces whose runs fail as a full disk would.</summary>
    public HashSet<int> FailPieces { get; } = [];

    public TorrentInfo Torrent => _inner.Torrent;

    public string SavePath => _inner.SavePath;

    public bool TryWriteBlocking(int piece, int offset, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        Runs.Add((piece, offset, blocks.Count));
        if (FailPieces.Contains(piece))
        {
            throw new StorageException(ErrorCode.DiskFull, "disk full (simulated)");
        }

        return ((IVectoredPieceWrites)_inner).TryWriteBlocking(piece, offset, blocks);
    }

    public ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Reads++;
        return _inner.ReadAsync(piece, offset, buffer, cancellationToken);
    }

    public ValueTask WriteAsync(int piece, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        SingleWrites++;
        return _inner.WriteAsync(piece, offset, data, cancellationToken);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public ValueTask SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities, CancellationToken cancellationToken = default) =>
        _inner.SetFilePrioritiesAsync(priorities, cancellationToken);

    public ValueTask MoveAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        _inner.MoveAsync(newSavePath, progress, cancellationToken);

    public ValueTask RenameFileAsync(int fileIndex, string newRelativePath, CancellationToken cancellationToken = default) =>
        _inner.RenameFileAsync(fileIndex, newRelativePath, cancellationToken);

    public ValueTask DeleteFilesAsync(CancellationToken cancellationToken = default) => _inner.DeleteFilesAsync(cancellationToken);

    public StorageFileState GetFileState(int fileIndex) => _inner.GetFileState(fileIndex);

    public string GetFilePath(int fileIndex) => _inner.GetFilePath(fileIndex);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
