using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Session;

/// <summary>
/// Wraps a torrent's storage to count the bytes read (uploads, checks, hash verification) and
/// written into the session's counters; everything else is passed through unchanged.
/// </summary>
internal sealed class CountingStorage(IPieceStorage inner, SessionCounters counters) : IPieceStorage, IVectoredPieceWrites, IBlockingPieceReads
{
    public IPieceStorage Inner => inner;

    public TorrentInfo Torrent => inner.Torrent;

    public string SavePath => inner.SavePath;

    public async ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.ReadAsync(piece, offset, buffer, cancellationToken).ConfigureAwait(false);
        counters.Read(buffer.Length);
    }

    public async ValueTask WriteAsync(int piece, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(piece, offset, data, cancellationToken).ConfigureAwait(false);
        counters.Written(data.Length);
    }

    // Passed through so a wrapped FileStorage keeps its one vectored write per run of blocks.
    bool IVectoredPieceWrites.TryWriteBlocking(int piece, int offset, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        if (inner is not IVectoredPieceWrites vectored || !vectored.TryWriteBlocking(piece, offset, blocks))
        {
            return false;
        }

        counters.Written(IVectoredPieceWrites.RunLength(blocks));
        return true;
    }

    // Passed through so a session's check of a FileStorage reads on its own workers, not through a pool hop per piece.
    bool IBlockingPieceReads.TryReadBlocking(int piece, int offset, Span<byte> buffer)
    {
        if (inner is not IBlockingPieceReads blocking || !blocking.TryReadBlocking(piece, offset, buffer))
        {
            return false;
        }

        counters.Read(buffer.Length);
        return true;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public ValueTask SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities, CancellationToken cancellationToken = default) =>
        inner.SetFilePrioritiesAsync(priorities, cancellationToken);

    public ValueTask MoveAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        inner.MoveAsync(newSavePath, progress, cancellationToken);

    public ValueTask RenameFileAsync(int fileIndex, string newRelativePath, CancellationToken cancellationToken = default) =>
        inner.RenameFileAsync(fileIndex, newRelativePath, cancellationToken);

    public ValueTask DeleteFilesAsync(CancellationToken cancellationToken = default) => inner.DeleteFilesAsync(cancellationToken);

    public StorageFileState GetFileState(int fileIndex) => inner.GetFileState(fileIndex);

    public string GetFilePath(int fileIndex) => inner.GetFilePath(fileIndex);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
