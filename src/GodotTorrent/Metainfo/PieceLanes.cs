using System.Buffers;
using System.Security.Cryptography;

namespace GodotTorrent.Metainfo;

/// <summary>
/// Sixteen full pieces hashed side by side, a chunk of each at a time (at most 64 KiB, so the
/// sixteen chunks, 1 MiB, stay in a core's cache while both hashes read them): SHA-1 of the
/// sixteen in <see cref="Sha1Lanes"/> (v1), and the same 16 KiB BEP 52 leaf of the sixteen in
/// <see cref="Sha256Lanes"/> (v2), a file's short last leaf alone (no padding), each handed to its
/// piece's <see cref="PieceDigest"/> as a known leaf. Creation and the check share it; each reads
/// the chunks its own way. One per worker.
/// </summary>
internal sealed class PieceLanes : IDisposable
{
    /// <summary>The pieces hashed side by side.</summary>
    public const int Count = HashLanes.Count;

    private const int MaxChunk = 4 * MerkleTree.BlockSize;

    private readonly int _pieceLength;
    private readonly byte[] _buffer;
    private readonly Sha1Lanes? _sha1;
    private readonly Sha256Lanes? _sha256;
    private readonly int[] _v2Lengths = new int[Count];
    private readonly PieceDigest?[] _leaves = new PieceDigest?[Count];
    private readonly byte[] _sha1Digests = new byte[Count * Sha1Lanes.DigestSize];
    private readonly byte[] _leafDigests = new byte[Count * Sha256Lanes.DigestSize];

    /// <summary>Lanes for pieces of <paramref name="pieceLength"/> bytes (see <see cref="Fits"/>), hashing SHA-1 (<paramref name="v1"/>) and leaves (<paramref name="v2"/>).</summary>
    public PieceLanes(int pieceLength, bool v1, bool v2)
    {
        _pieceLength = pieceLength;
        ChunkSize = Math.Min(pieceLength, MaxChunk);
        _buffer = ArrayPool<byte>.Shared.Rent(Count * ChunkSize);
        _sha1 = v1 ? new Sha1Lanes() : null;
        _sha256 = v2 ? new Sha256Lanes() : null;
    }

    /// <summary>The bytes of each piece hashed at a time: chunk <c>k</c> of a piece is at offset <c>k * ChunkSize</c>.</summary>
    public int ChunkSize { get; }

    /// <summary>Whether pieces of <paramref name="pieceLength"/> bytes go in whole chunks of whole leaves.</summary>
    public static bool Fits(int pieceLength)
    {
        int chunk = Math.Min(pieceLength, MaxChunk);
        return chunk % MerkleTree.BlockSize == 0 && pieceLength % chunk == 0;
    }

    /// <summary>Where lane <paramref name="lane"/>'s piece's current chunk is to be read.</summary>
    public Memory<byte> Chunk(int lane) => _buffer.AsMemory(lane * ChunkSize, ChunkSize);

    /// <summary>
    /// Starts the piece of lane <paramref name="lane"/>: its first <paramref name="v2Length"/> bytes
    /// are v2 file data whose leaves go to <paramref name="leaves"/> (0 and null: none).
    /// </summary>
    public void Start(int lane, int v2Length, PieceDigest? leaves)
    {
        _v2Lengths[lane] = leaves is null ? 0 : v2Length;
        _leaves[lane] = leaves;
    }

    /// <summary>Hashes the sixteen chunks at <paramref name="offset"/> of their pieces, read into <see cref="Chunk"/>.</summary>
    public void Hash(int offset)
    {
        _sha1?.Append(_buffer, ChunkSize, ChunkSize / HashLanes.BlockSize);
        if (_sha256 is not null)
        {
            HashLeaves(offset);
        }
    }

    /// <summary>After every chunk: the SHA-1 of each piece, 20 bytes per lane one after another (zeros without v1).</summary>
    public ReadOnlySpan<byte> FinishSha1()
    {
        _sha1?.Finish(_buffer, ChunkSize, _pieceLength, _sha1Digests);
        return _sha1Digests;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    // Leaf by leaf through the chunks, the same leaf of the sixteen pieces at once.
    private void HashLeaves(int offset)
    {
        Span<byte> hash = stackalloc byte[MerkleTree.HashSize];
        for (int at = 0; at < ChunkSize; at += MerkleTree.BlockSize)
        {
            int leaf = offset + at;
            bool anyFull = false;
            for (int lane = 0; lane < Count && !anyFull; lane++)
            {
                anyFull = _v2Lengths[lane] - leaf >= MerkleTree.BlockSize;
            }

            if (anyFull)
            {
                var leaves = _buffer.AsSpan(at);
                _sha256!.Append(leaves, ChunkSize, MerkleTree.BlockSize / HashLanes.BlockSize);
                _sha256.Finish(leaves, ChunkSize, MerkleTree.BlockSize, _leafDigests);
            }

            for (int lane = 0; lane < Count; lane++)
            {
                int bytes = Math.Clamp(_v2Lengths[lane] - leaf, 0, MerkleTree.BlockSize);
                if (bytes == MerkleTree.BlockSize)
                {
                    _leaves[lane]!.AppendKnownLeaf(_leafDigests.AsSpan(lane * Sha256Lanes.DigestSize, Sha256Lanes.DigestSize), bytes);
                }
                else if (bytes > 0)
                {
                    SHA256.HashData(_buffer.AsSpan((lane * ChunkSize) + at, bytes), hash);
                    _leaves[lane]!.AppendKnownLeaf(hash, bytes);
                }
            }
        }
    }
}
