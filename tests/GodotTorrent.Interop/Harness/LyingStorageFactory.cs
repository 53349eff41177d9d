using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// Storage whose first <see cref="MaxLies"/> block reads come back with their first byte altered: a
/// seed that lies in a few blocks. Whole-piece reads (with pieces of more than 16 blocks only block
/// hashes read a piece whole) stay true, and so do the pieces of files of at most one piece.
/// </summary>
public sealed class LyingStorageFactory : IPieceStorageFactory
{
    /// <summary>
    /// Each bad block fails at most one piece, and libtorrent takes 2 trust points (1 back per good
    /// piece) from every peer that sent a block of a failed piece and bans at -7 (torrent.cpp
    /// penalize_peers): with 3 lies an honest peer that shared the failed pieces is never banned.
    /// </summary>
    public const int MaxLies = 3;

    private readonly FileStorageFactory _inner = new();

    public IPieceStorage Create(TorrentInfo torrent, string savePath) => new LyingStorage(_inner.Create(torrent, savePath));

    private sealed class LyingStorage(IPieceStorage inner) : IPieceStorage
    {
        private int _lies;

        public TorrentInfo Torrent => inner.Torrent;

        public string SavePath => inner.SavePath;

        public async ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.ReadAsync(piece, offset, buffer, cancellationToken);

            // libtorrent 2.0.8 asks a whole piece of block hashes (32 here) of a failed file of at most one
            // piece, which has fewer: its own validate_hash_request refuses that, so we reject it, and its
            // hashes_rejected then writes through an empty vector and crashes (fixed after 2.0.8 upstream).
            bool wholePiece = offset == 0 && buffer.Length == Torrent.GetPieceSize(piece);
            if (wholePiece || buffer.IsEmpty || Torrent.FindFileAt(((long)piece * Torrent.PieceLength) + offset) is not { } file || file.Length <= Torrent.PieceLength)
            {
                return;
            }

            if (Interlocked.Increment(ref _lies) <= MaxLies)
            {
                buffer.Span[0] ^= 0xFF;
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
