using System.Numerics;
using GodotTorrent.Wire;

namespace GodotTorrent.Metainfo;

/// <summary>
/// The part of one file's BEP 52 merkle tree from its piece layer up to its pieces root, padded to
/// a power of two with the roots of all-zero pieces: what hash requests at the piece layer are
/// answered from, and how the nodes and uncle hashes of a hashes message are checked.
/// </summary>
internal sealed class PieceLayerTree
{
    // _levels[0] is the padded piece layer; each next level halves it, the last is the root.
    private readonly byte[][] _levels;

    private PieceLayerTree(byte[][] levels) => _levels = levels;

    /// <summary>Nodes in the padded piece layer.</summary>
    public int Width => _levels[0].Length / MerkleTree.HashSize;

    /// <summary>Levels above the padded piece layer (0 for a tree of one node).</summary>
    public int Height => _levels.Length - 1;

    /// <summary>The node at <paramref name="index"/> of <paramref name="level"/> (0 = the piece layer).</summary>
    public ReadOnlySpan<byte> Node(int level, int index) => _levels[level].AsSpan(index * MerkleTree.HashSize, MerkleTree.HashSize);

    /// <summary>Builds the tree over <paramref name="pieceLayer"/> (one node per piece, at least two pieces).</summary>
    public static PieceLayerTree Build(ReadOnlySpan<byte> pieceLayer, int pieceLength) =>
        Over(pieceLayer, (int)MerkleTree.RoundUpToPowerOfTwo(pieceLayer.Length / MerkleTree.HashSize), MerkleTree.PadHash(PieceHeight(pieceLength)));

    /// <summary>
    /// The tree over <paramref name="bottom"/>'s nodes, padded with <paramref name="pad"/> to
    /// <paramref name="width"/> (a power of two, at least their count): a file's piece layer, or one
    /// piece's leaves (padded with zero leaves) for its block hashes.
    /// </summary>
    public static PieceLayerTree Over(ReadOnlySpan<byte> bottom, int width, ReadOnlySpan<byte> pad)
    {
        int count = bottom.Length / MerkleTree.HashSize;
        var levels = new byte[BitOperations.Log2((uint)width) + 1][];
        levels[0] = new byte[width * MerkleTree.HashSize];
        bottom.CopyTo(levels[0]);
        for (int i = count; i < width; i++)
        {
            pad.CopyTo(levels[0].AsSpan(i * MerkleTree.HashSize));
        }

        for (int level = 1; level < levels.Length; level++)
        {
            var below = levels[level - 1];
            var nodes = new byte[below.Length / 2];
            for (int i = 0; i < nodes.Length / MerkleTree.HashSize; i++)
            {
                MerkleTree.HashPair(below.AsSpan(2 * i * MerkleTree.HashSize, MerkleTree.HashSize), below.AsSpan(((2 * i) + 1) * MerkleTree.HashSize, MerkleTree.HashSize), nodes.AsSpan(i * MerkleTree.HashSize, MerkleTree.HashSize));
            }

            levels[level] = nodes;
        }

        return new PieceLayerTree(levels);
    }

    /// <summary>The layer a piece's node sits in, counted from the 16 KiB leaves (0).</summary>
    public static int PieceHeight(int pieceLength) => BitOperations.Log2((uint)(pieceLength / MerkleTree.BlockSize));

    /// <summary>
    /// The hashes that answer <paramref name="request"/> (its base layer already checked to be the
    /// piece layer): the requested nodes, then one uncle per proof layer, lowest first. Null when
    /// the request runs outside the tree (the caller rejects it).
    /// </summary>
    public byte[]? Answer(in HashRequest request)
    {
        int width = Width;
        int height = _levels.Length - 1;
        if (request.Index + (long)request.Length > width || request.ProofLayers >= Math.Max(1, height))
        {
            return null;
        }

        int uncles = request.UncleCount;
        int subtreeLevel = BitOperations.Log2((uint)request.Length);
        if (subtreeLevel + uncles > height)
        {
            return null;
        }

        var hashes = new byte[(request.Length + uncles) * MerkleTree.HashSize];
        _levels[0].AsSpan(request.Index * MerkleTree.HashSize, request.Length * MerkleTree.HashSize).CopyTo(hashes);
        int position = request.Index >> subtreeLevel;
        for (int u = 0; u < uncles; u++)
        {
            int sibling = (position >> u) ^ 1;
            _levels[subtreeLevel + u].AsSpan(sibling * MerkleTree.HashSize, MerkleTree.HashSize)
                .CopyTo(hashes.AsSpan((request.Length + u) * MerkleTree.HashSize));
        }

        return hashes;
    }

    /// <summary>
    /// Whether <paramref name="hashes"/> (the nodes <paramref name="request"/> asked for, then its
    /// uncles, lowest first) lead up to <paramref name="root"/>: the nodes fold to their subtree's
    /// root, each uncle joins it on the side its position says, and the last must be the root.
    /// Linear in the number of hashes.
    /// </summary>
    public static bool Proves(in HashRequest request, ReadOnlySpan<byte> hashes, ReadOnlySpan<byte> root)
    {
        int uncles = request.UncleCount;
        if (hashes.Length != (request.Length + uncles) * MerkleTree.HashSize)
        {
            return false;
        }

        var node = MerkleTree.ComputeRoot(hashes[..(request.Length * MerkleTree.HashSize)], request.Length, 0);
        long position = request.Index / request.Length;
        for (int u = 0; u < uncles; u++)
        {
            var uncle = hashes.Slice((request.Length + u) * MerkleTree.HashSize, MerkleTree.HashSize);
            if ((position & 1) == 0)
            {
                MerkleTree.HashPair(node, uncle, node);
            }
            else
            {
                MerkleTree.HashPair(uncle, node, node);
            }

            position >>= 1;
        }

        // Above the uncles there is nothing left to join: the node must be the root itself.
        return position == 0 && node.AsSpan().SequenceEqual(root);
    }
}
