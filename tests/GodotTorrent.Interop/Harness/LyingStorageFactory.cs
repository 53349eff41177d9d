using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Interop.Harness;

/// <summary>Storage whose reads of each piece's third block come back altered (whole-piece reads excepted): a seed that lies in one block.</summary>
public sealed class LyingStorageFactory : IPieceStorageFactory
{
    private readonly FileStorageFactory _inner = new();

    public IPieceStorage Create(TorrentInfo torrent, string savePath) => new LyingStorage(_inner.Create(torrent, savePath));

    private sealed class LyingStorage(IPieceStorage inner) : IPieceStorage
    {
        public TorrentInfo Torrent => inner.Torrent;

        public string SavePath => inner.SavePath;

        public async ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.ReadAsync(piece, offset, buffer, cancellationToken);

            // The third block of a piece is altered in every read that covers it (a seed sends runs of up
            // to 16 blocks), except a read of the whole piece from its start: with pieces of more than 16
            // blocks only block hashes are served that way, and those stay true.
            const int Bad = 2 * 16384;
            bool wholePiece = offset == 0 && buffer.Length == Torrent.GetPieceSize(piece);
            if (!wholePiece && offset <= Bad && offset + buffer.Length > Bad)
            {
                buffer.Span[Bad - offset] ^= 0xFF;
            }
        }

        public ValueTask WriteAsync(int piece, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => inner.WriteAsync(piece, offset, data, cancellationToken);

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public ValueTask SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities, CancellationToken cancellationToken = default) => inner.SetFilePrioritiesAsync(priorities, cancellationToken);

        public ValueTask MoveAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default) => inner.MoveAsync(newSavePath, progress, cancellationToken);

        public ValueTask RenameFileAsync(int fileIndex, string newRelativePath, CancellationToken cancellationToken = default) => inner.RenameFileAsync(fileIndex, newRelativePath, cancellationToken);

        public ValueTask DeleteFilesAsync(CancellationToken cancellationToken = default) => inner.DeleteFilesAsync(cancellationToken);

        public StorageFileState GetFileState(int fileIndex) => inner.GetFileState(fileIndex);

        public string GetFilePath(int fileIndex) => inner.GetFilePath(fileIndex);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
