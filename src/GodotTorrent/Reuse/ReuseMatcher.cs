using System.Buffers;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Reuse;

/// <summary>
/// Decides whether a file of an earlier version holds exactly a new file's content, cheapest
/// proof first: equal BEP 52 pieces roots (v2 and hybrid: the root is a hash of the whole file);
/// equal v1 piece hashes when the file fills its pieces alone in both torrents (starts on a piece
/// boundary, nothing but padding after it in its last piece); otherwise by hashing the
/// candidate's bytes against every piece of the new torrent that holds only this file's bytes.
/// A file with no such piece (small and straddling its neighbours in a v1 torrent) cannot be
/// proven and is not reused. Not thread-safe: one per worker.
/// </summary>
internal sealed class ReuseMatcher : IDisposable
{
    private readonly TorrentInfo _torrent;
    private readonly PieceLayout _layout;
    private readonly PieceHasher _hasher;
    private readonly byte[] _buffer;

    public ReuseMatcher(TorrentInfo torrent)
    {
        _torrent = torrent;
        _layout = new PieceLayout(torrent);
        _hasher = new PieceHasher(_layout);
        _buffer = ArrayPool<byte>.Shared.Rent(torrent.PieceLength);
    }

    /// <summary>How the last match was proven (for the log).</summary>
    public string LastRule { get; private set; } = string.Empty;

    /// <summary>True when <paramref name="candidate"/> holds exactly the content of the new torrent's <paramref name="file"/>.</summary>
    /// <exception cref="StorageException">Reading the candidate failed.</exception>
    public async ValueTask<bool> MatchesAsync(FileEntry file, ReuseCandidate candidate, CancellationToken cancellationToken)
    {
        if (candidate.Length != file.Length)
        {
            return false;
        }

        if (candidate is { Torrent: { } old, Entry: { } entry })
        {
            if (_torrent.HasV2 && old.HasV2 && !file.PiecesRoot.IsEmpty && !entry.PiecesRoot.IsEmpty)
            {
                LastRule = "pieces root";
                return file.PiecesRoot.Span.SequenceEqual(entry.PiecesRoot.Span);
            }

            if (CompareAlignedV1(file, old, entry) is { } same)
            {
                LastRule = "piece hashes";
                return same;
            }
        }

        LastRule = "hashing";
        return await HashAgainstPiecesAsync(file, candidate, cancellationToken).ConfigureAwait(true);
    }

    public void Dispose()
    {
        _hasher.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }

    // True when every stored byte of the piece belongs to the file (pad bytes and gaps are not stored).
    private static bool HoldsOnly(PieceLayout layout, int piece, int fileIndex)
    {
        foreach (var slice in layout.GetSlices(piece, 0, layout.GetPieceSize(piece)))
        {
            if (slice.FileIndex != fileIndex)
            {
                return false;
            }
        }

        return true;
    }

    // Null when the rule does not apply: then the candidate is hashed.
    private bool? CompareAlignedV1(FileEntry file, TorrentInfo old, FileEntry entry)
    {
        int pieceLength = _torrent.PieceLength;
        if (!_torrent.HasV1 || !old.HasV1 || old.PieceLength != pieceLength || file.Offset % pieceLength != 0 || entry.Offset % pieceLength != 0)
        {
            return null;
        }

        var oldLayout = new PieceLayout(old);
        int count = file.LastPiece - file.FirstPiece + 1;
        for (int k = 0; k < count; k++)
        {
            if (!HoldsOnly(_layout, file.FirstPiece + k, file.Index) || !HoldsOnly(oldLayout, entry.FirstPiece + k, entry.Index))
            {
                return null;
            }
        }

        for (int k = 0; k < count; k++)
        {
            if (!_torrent.GetPieceHashV1(file.FirstPiece + k).SequenceEqual(old.GetPieceHashV1(entry.FirstPiece + k)))
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask<bool> HashAgainstPiecesAsync(FileEntry file, ReuseCandidate candidate, CancellationToken cancellationToken)
    {
        bool any = false;
        for (int piece = file.FirstPiece; piece <= file.LastPiece; piece++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!HoldsOnly(_layout, piece, file.Index))
            {
                continue;
            }

            int size = _layout.GetPieceSize(piece);
            var data = _buffer.AsMemory(0, size);
            data.Span.Clear();
            foreach (var slice in _layout.GetSlices(piece, 0, size))
            {
                await candidate.ReadAsync(slice.FileOffset, data.Slice(slice.BufferOffset, slice.Length), cancellationToken).ConfigureAwait(true);
            }

            if (!_hasher.Verify(piece, data.Span))
            {
                return false;
            }

            any = true;
        }

        return any;
    }
}
