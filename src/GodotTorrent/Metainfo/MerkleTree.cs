using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;

namespace GodotTorrent.Metainfo;

/// <summary>
/// BEP 52 merkle trees: SHA-256 over 16 KiB blocks, each file's tree padded to a power of two
/// with zero leaves. The same routines serve parsing (piece layers against roots), creation and
/// verification of downloaded v2 pieces.
/// </summary>
internal static class MerkleTree
{
    /// <summary>The leaf size: every leaf hashes one 16 KiB block (the last may be shorter).</summary>
    public const int BlockSize = 16 * 1024;

    public const int HashSize = 32;

    private static readonly byte[][] PadHashes = BuildPadHashes();

    /// <summary>Number of 16 KiB leaves a file of this length has (0 for an empty file).</summary>
    public static long BlockCount(long length) => (length + BlockSize - 1) / BlockSize;

    /// <summary>The smallest power of two that is at least <paramref name="count"/> (1 for 0 or 1).</summary>
    public static long RoundUpToPowerOfTwo(long count) => count <= 1 ? 1 : (long)BitOperations.RoundUpToPowerOf2((ulong)count);

    /// <summary>The root of an all-zero subtree <paramref name="height"/> levels above the leaves (0 = a zero leaf).</summary>
    public static ReadOnlySpan<byte> PadHash(int height) => PadHashes[height];

    /// <summary>SHA-256 of the concatenation of two nodes.</summary>
    public static void HashPair(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> both = stackalloc byte[HashSize * 2];
        left.CopyTo(both);
        right.CopyTo(both[HashSize..]);
        SHA256.HashData(both, destination);
    }

    /// <summary>
    /// Folds one level of <paramref name="nodes"/> (32 bytes each), padded with
    /// <paramref name="padHeight"/>-high zero subtrees up to <paramref name="paddedCount"/>
    /// nodes, into the root.
    /// </summary>
    public static byte[] ComputeRoot(ReadOnlySpan<byte> nodes, long paddedCount, int padHeight)
    {
        long count = nodes.Length / HashSize;
        if (count == 0 || paddedCount < count || !BitOperations.IsPow2(paddedCount))
        {
            throw new ArgumentOutOfRangeException(nameof(paddedCount));
        }

        var level = nodes.ToArray();
        Fold(level, count, paddedCount, padHeight);
        return level.AsSpan(0, HashSize).ToArray();
    }

    /// <summary>
    /// As <see cref="ComputeRoot"/>, but folds <paramref name="nodes"/> in place instead of a
    /// copy (the hot paths hash a piece per call and must not allocate): the root ends in the
    /// first 32 bytes and the rest of the span is overwritten.
    /// </summary>
    public static void FoldInPlace(Span<byte> nodes, long paddedCount, int padHeight)
    {
        long count = nodes.Length / HashSize;
        if (count == 0 || paddedCount < count || !BitOperations.IsPow2(paddedCount))
        {
            throw new ArgumentOutOfRangeException(nameof(paddedCount));
        }

        Fold(nodes, count, paddedCount, padHeight);
    }

    /// <summary>The pieces root of a file from the SHA-256 of each of its 16 KiB blocks.</summary>
    public static byte[] RootFromBlockHashes(ReadOnlySpan<byte> blockHashes) =>
        ComputeRoot(blockHashes, RoundUpToPowerOfTwo(blockHashes.Length / HashSize), 0);

    /// <summary>
    /// The piece layer of a file from its block hashes: one node per piece, the last piece's
    /// subtree padded with zero leaves.
    /// </summary>
    public static byte[] PieceLayerFromBlockHashes(ReadOnlySpan<byte> blockHashes, int pieceLength)
    {
        int blocksPerPiece = pieceLength / BlockSize;
        int blocks = blockHashes.Length / HashSize;
        int pieces = (blocks + blocksPerPiece - 1) / blocksPerPiece;
        var layer = new byte[pieces * HashSize];
        for (int p = 0; p < pieces; p++)
        {
            int first = p * blocksPerPiece;
            int count = Math.Min(blocksPerPiece, blocks - first);
            var root = ComputeRoot(blockHashes.Slice(first * HashSize, count * HashSize), blocksPerPiece, 0);
            root.CopyTo(layer, p * HashSize);
        }

        return layer;
    }

    /// <summary>The pieces root of a file from its piece layer (files larger than one piece).</summary>
    public static byte[] RootFromPieceLayer(ReadOnlySpan<byte> pieceLayer, int pieceLength)
    {
        int padHeight = BitOperations.Log2((uint)(pieceLength / BlockSize));
        return ComputeRoot(pieceLayer, RoundUpToPowerOfTwo(pieceLayer.Length / HashSize), padHeight);
    }

    /// <summary>
    /// Whether <paramref name="pieceLayer"/> (not empty) hashes to <paramref name="root"/>: as
    /// <see cref="RootFromPieceLayer(ReadOnlySpan{byte}, int)"/>, folded in a scratch buffer, as a
    /// parse checks one layer per file and a copy per level was most of its cost per file.
    /// </summary>
    public static bool PieceLayerMatchesRoot(ReadOnlySpan<byte> pieceLayer, int pieceLength, ReadOnlySpan<byte> root)
    {
        const int StackBytes = 1024;
        int padHeight = BitOperations.Log2((uint)(pieceLength / BlockSize));
        long count = pieceLayer.Length / HashSize;
        if (count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pieceLayer));
        }

        byte[]? rented = pieceLayer.Length > StackBytes ? ArrayPool<byte>.Shared.Rent(pieceLayer.Length) : null;
        try
        {
            Span<byte> level = rented is null ? stackalloc byte[StackBytes] : rented;
            pieceLayer.CopyTo(level);
            Fold(level, count, RoundUpToPowerOfTwo(count), padHeight);
            return level[..HashSize].SequenceEqual(root);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // Each parent overwrites the left child it came from (HashPair copies both children first),
    // so the level is folded in place: the root ends in the first 32 bytes.
    private static void Fold(Span<byte> level, long count, long paddedCount, int padHeight)
    {
        int height = padHeight;
        while (paddedCount > 1)
        {
            long parents = (count + 1) / 2;
            for (long i = 0; i < parents; i++)
            {
                var left = level.Slice((int)(2 * i * HashSize), HashSize);
                var right = 2 * i + 1 < count ? level.Slice((int)((2 * i + 1) * HashSize), HashSize) : PadHash(height);
                HashPair(left, right, level.Slice((int)(i * HashSize), HashSize));
            }

            count = parents;
            paddedCount /= 2;
            height++;
        }
    }

    private static byte[][] BuildPadHashes()
    {
        // 64 levels cover any file size a long can express.
        var pads = new byte[64][];
        pads[0] = new byte[HashSize];
        for (int i = 1; i < pads.Length; i++)
        {
            pads[i] = new byte[HashSize];
            HashPair(pads[i - 1], pads[i - 1], pads[i]);
        }

        return pads;
    }
}
