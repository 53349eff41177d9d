using System.Buffers;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>
/// Verifies sixteen whole pieces of a v1 torrent at once with <see cref="Sha1Lanes"/>: the check's
/// workers hand it batches where the CPU supports it. Each piece is read in chunks of at most
/// 256 KiB, so a batch holds 4 MiB whatever the piece size.
/// </summary>
internal sealed class Sha1BatchVerifier : IDisposable
{
    /// <summary>The pieces in one batch.</summary>
    public const int Count = Sha1Lanes.Count;

    private const int MaxChunk = 256 * 1024;

    private readonly IPieceStorage _storage;
    private readonly TorrentInfo _torrent;
    private readonly Sha1Lanes _lanes = new();
    private readonly int _chunk;
    private readonly byte[] _buffer;
    private readonly byte[] _digests = new byte[Count * 20];
    private readonly bool[] _read = new bool[Count];

    public Sha1BatchVerifier(IPieceStorage storage)
    {
        _storage = storage;
        _torrent = storage.Torrent;
        _chunk = Math.Min(_torrent.PieceLength, MaxChunk);
        _buffer = ArrayPool<byte>.Shared.Rent(Count * _chunk);
    }

    /// <summary>Whether batches can verify <paramref name="torrent"/>'s pieces: a v1-only torrent on a CPU with the lanes.</summary>
    public static bool CanVerify(TorrentInfo torrent)
    {
        int chunk = Math.Min(torrent.PieceLength, MaxChunk);
        return Sha1Lanes.IsSupported && torrent.HasV1 && !torrent.HasV2 && chunk % Sha1Lanes.BlockSize == 0 && torrent.PieceLength % chunk == 0;
    }

    /// <summary>Whether these sixteen pieces form a batch: all full-length (the last piece is verified alone).</summary>
    public bool IsBatch(ReadOnlySpan<int> pieces)
    {
        if (pieces.Length != Count)
        {
            return false;
        }

        foreach (int piece in pieces)
        {
            if (_torrent.GetPieceSize(piece) != _torrent.PieceLength)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Verifies the sixteen pieces <c>pieces[first..first + 16]</c>, writing each answer to
    /// <paramref name="valid"/> at the piece's index. A missing file makes its pieces invalid; another
    /// disk error does too and is passed to <paramref name="onError"/>.
    /// </summary>
    public async ValueTask VerifyAsync(int[] pieces, int first, bool[] valid, Action<StorageException> onError, CancellationToken cancellationToken)
    {
        Array.Fill(_read, true);
        for (int offset = 0; offset < _torrent.PieceLength; offset += _chunk)
        {
            for (int lane = 0; lane < Count; lane++)
            {
                if (!_read[lane])
                {
                    continue; // its answer is known; the lane hashes whatever the buffer holds
                }

                try
                {
                    _read[lane] = await PieceVerifier.ReadAsync(_storage, pieces[first + lane], offset, _buffer.AsMemory(lane * _chunk, _chunk), cancellationToken).ConfigureAwait(false);
                }
                catch (StorageException ex)
                {
                    onError(ex);
                    _read[lane] = false;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            _lanes.Append(_buffer, _chunk, _chunk / Sha1Lanes.BlockSize);
        }

        _lanes.Finish(_buffer, _chunk, _torrent.PieceLength, _digests);
        for (int lane = 0; lane < Count; lane++)
        {
            int piece = pieces[first + lane];
            valid[piece] = _read[lane] && _digests.AsSpan(lane * 20, 20).SequenceEqual(_torrent.GetPieceHashV1(piece));
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
