using System.Security.Cryptography;

namespace GodotTorrent.Metainfo;

/// <summary>
/// The BEP 52 leaves of sixteen pieces read side by side, a chunk of each at a time: the same
/// 16 KiB leaf of the sixteen hashed together in <see cref="Sha256Lanes"/>, a file's short last
/// leaf alone (no padding), each handed to its piece's <see cref="PieceDigest"/> as a known leaf.
/// Creation and the check share it.
/// </summary>
internal sealed class LeafLanes
{
    /// <summary>The pieces hashed side by side.</summary>
    public const int Count = Sha256Lanes.Count;

    /// <summary>The most bytes of each piece read at a time: sixteen chunks (1 MiB) stay in a core's cache while both hashes read them.</summary>
    public const int MaxChunk = 4 * MerkleTree.BlockSize;

    private readonly Sha256Lanes _lanes = new();
    private readonly byte[] _digests = new byte[Count * Sha256Lanes.DigestSize];

    /// <summary>
    /// Hashes the leaves in the chunk at <paramref name="offset"/> of each piece: piece <c>l</c>'s
    /// chunk is at <c>buffer[l * chunk]</c>, its first <c>v2Lengths[l]</c> bytes are v2 file data
    /// (0: none, and <c>digests[l]</c> may be null), and its leaves go to <c>digests[l]</c>.
    /// </summary>
    public void Hash(ReadOnlySpan<byte> buffer, int chunk, int offset, ReadOnlySpan<int> v2Lengths, IReadOnlyList<PieceDigest?> digests)
    {
        Span<byte> hash = stackalloc byte[MerkleTree.HashSize];
        for (int at = 0; at < chunk; at += MerkleTree.BlockSize)
        {
            int leaf = offset + at;
            bool anyFull = false;
            for (int lane = 0; lane < Count && !anyFull; lane++)
            {
                anyFull = v2Lengths[lane] - leaf >= MerkleTree.BlockSize;
            }

            if (anyFull)
            {
                var leaves = buffer[at..];
                _lanes.Append(leaves, chunk, MerkleTree.BlockSize / Sha256Lanes.BlockSize);
                _lanes.Finish(leaves, chunk, MerkleTree.BlockSize, _digests);
            }

            for (int lane = 0; lane < Count; lane++)
            {
                int bytes = Math.Clamp(v2Lengths[lane] - leaf, 0, MerkleTree.BlockSize);
                if (bytes == MerkleTree.BlockSize)
                {
                    digests[lane]!.AppendKnownLeaf(_digests.AsSpan(lane * Sha256Lanes.DigestSize, Sha256Lanes.DigestSize), bytes);
                }
                else if (bytes > 0)
                {
                    SHA256.HashData(buffer.Slice((lane * chunk) + at, bytes), hash);
                    digests[lane]!.AppendKnownLeaf(hash, bytes);
                }
            }
        }
    }
}
