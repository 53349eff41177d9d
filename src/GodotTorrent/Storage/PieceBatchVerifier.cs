using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>
/// Verifies sixteen full pieces at once where the CPU has the lanes (<see cref="PieceLanes"/>:
/// SHA-1 for v1 and hybrid, BEP 52 leaves for v2 and hybrid), each piece then decided by its own
/// <see cref="PieceHasher"/> as one piece hashed alone would be. The check's workers hand it
/// batches.
/// </summary>
internal sealed class PieceBatchVerifier : IDisposable
{
    /// <summary>The pieces in one batch.</summary>
    public const int Count = PieceLanes.Count;

    private readonly IPieceStorage _storage;
    private readonly TorrentInfo _torrent;
    private readonly PieceLanes _lanes;
    private readonly PieceHasher[] _hashers;
    private readonly bool[] _read = new bool[Count];

    public PieceBatchVerifier(IPieceStorage storage, PieceLayout layout)
    {
        _storage = storage;
        _torrent = storage.Torrent;
        _lanes = new PieceLanes(_torrent.PieceLength, _torrent.HasV1, _torrent.HasV2);
        _hashers = Enumerable.Range(0, Count).Select(_ => new PieceHasher(layout, knownLeaves: true)).ToArray();
    }

    /// <summary>Whether batches can verify <paramref name="torrent"/>'s pieces: a CPU with the lanes, and piece lengths of whole leaves.</summary>
    public static bool CanVerify(TorrentInfo torrent) => HashLanes.IsSupported && PieceLanes.Fits(torrent.PieceLength);
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
        for (int lane = 0; lane < Count; lane++)
        {
            var hasher = _hashers[lane];
            hasher.Reset(pieces[first + lane]);
            _lanes.Start(lane, hasher.V2Length, hasher.V2Length > 0 ? hasher.Digest : null);
        }

        for (int offset = 0; offset < _torrent.PieceLength; offset += _lanes.ChunkSize)
        {
            for (int lane = 0; lane < Count; lane++)
            {
                if (!_read[lane])
                {
                    continue; // its answer is known; the lanes hash whatever the buffer holds
                }

                try
                {
                    _read[lane] = await PieceVerifier.ReadAsync(_storage, pieces[first + lane], offset, _lanes.Chunk(lane), cancellationToken).ConfigureAwait(false);
                }
                catch (StorageException ex)
                {
                    onError(ex);
                    _read[lane] = false;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            _lanes.Hash(offset);
        }

        var sha1 = _lanes.FinishSha1();
        for (int lane = 0; lane < Count; lane++)
        {
            valid[pieces[first + lane]] = _read[lane] && _hashers[lane].VerifyKnown(sha1.Slice(lane * Sha1Lanes.DigestSize, Sha1Lanes.DigestSize));
        }
    }

    public void Dispose()
    {
        _lanes.Dispose();
        foreach (var hasher in _hashers)
        {
            hasher.Dispose();
        }
    }
}
