using System.Buffers;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>
/// Verifies sixteen full pieces at once where the CPU has the lanes: SHA-1 of the sixteen in
/// <see cref="Sha1Lanes"/> (v1 and hybrid), their BEP 52 leaves in <see cref="LeafLanes"/> (v2 and
/// hybrid), each piece then decided by its own <see cref="PieceHasher"/> as one piece hashed alone
/// would be. The check's workers hand it batches. Pieces are read a chunk of at most 64 KiB each at
/// a time, so a batch holds 1 MiB whatever the piece size.
/// </summary>
internal sealed class PieceBatchVerifier : IDisposable
{
    /// <summary>The pieces in one batch.</summary>
    public const int Count = HashLanes.Count;

    private readonly IPieceStorage _storage;
    private readonly TorrentInfo _torrent;
    private readonly Sha1Lanes? _sha1;
    private readonly LeafLanes? _leaves;
    private readonly PieceHasher[] _hashers;
    private readonly PieceDigest?[] _digests = new PieceDigest?[Count];
    private readonly int[] _v2Lengths = new int[Count];
    private readonly int _chunk;
    private readonly byte[] _buffer;
    private readonly byte[] _sha1Digests = new byte[Count * Sha1Lanes.DigestSize];
    private readonly bool[] _read = new bool[Count];

    public PieceBatchVerifier(IPieceStorage storage, PieceLayout layout)
    {
        _storage = storage;
        _torrent = storage.Torrent;
        _chunk = Math.Min(_torrent.PieceLength, LeafLanes.MaxChunk);
        _buffer = ArrayPool<byte>.Shared.Rent(Count * _chunk);
        _sha1 = _torrent.HasV1 ? new Sha1Lanes() : null;
        _leaves = _torrent.HasV2 ? new LeafLanes() : null;
        _hashers = Enumerable.Range(0, Count).Select(_ => new PieceHasher(layout, knownLeaves: true)).ToArray();
    }

    /// <summary>Whether batches can verify <paramref name="torrent"/>'s pieces: a CPU with the lanes, and piece lengths of whole leaves.</summary>
    public static bool CanVerify(TorrentInfo torrent)
    {
        int chunk = Math.Min(torrent.PieceLength, LeafLanes.MaxChunk);
        return HashLanes.IsSupported && chunk % MerkleTree.BlockSize == 0 && torrent.PieceLength % chunk == 0;
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
        for (int lane = 0; lane < Count; lane++)
        {
            var hasher = _hashers[lane];
            hasher.Reset(pieces[first + lane]);
            _v2Lengths[lane] = hasher.V2Length;
            _digests[lane] = hasher.V2Length > 0 ? hasher.Digest : null;
        }

        for (int offset = 0; offset < _torrent.PieceLength; offset += _chunk)
        {
            for (int lane = 0; lane < Count; lane++)
            {
                if (!_read[lane])
                {
                    continue; // its answer is known; the lanes hash whatever the buffer holds
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
            _sha1?.Append(_buffer, _chunk, _chunk / Sha1Lanes.BlockSize);
            _leaves?.Hash(_buffer, _chunk, offset, _v2Lengths, _digests);
        }

        _sha1?.Finish(_buffer, _chunk, _torrent.PieceLength, _sha1Digests);
        for (int lane = 0; lane < Count; lane++)
        {
            int piece = pieces[first + lane];
            valid[piece] = _read[lane] && _hashers[lane].VerifyKnown(_sha1Digests.AsSpan(lane * Sha1Lanes.DigestSize, Sha1Lanes.DigestSize));
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        foreach (var hasher in _hashers)
        {
            hasher.Dispose();
        }
    }
}
