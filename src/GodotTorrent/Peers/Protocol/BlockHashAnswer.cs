using System.Numerics;
using System.Security.Cryptography;
using GodotTorrent.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Peers.Protocol;

/// <summary>
/// BEP 52 hash requests at the block layer (base layer 0), answered from one piece's data: the
/// SHA-256 of each 16 KiB block (zero leaves past the file's end), then the uncle hashes, taken from
/// the piece's own subtree up to the piece layer and from the file's <see cref="PieceLayerTree"/>
/// above it. A request may cover at most one piece's blocks (libtorrent asks for exactly one piece).
/// </summary>
internal static class BlockHashAnswer
{
    /// <summary>
    /// Where <paramref name="request"/> (base layer 0, for <paramref name="file"/>) reads from: the
    /// piece and the bytes of the file in it; false when it spans pieces, runs past the file's tree,
    /// or asks for more proof than the tree has.
    /// </summary>
    public static bool TryLocate(TorrentInfo torrent, FileEntry file, in HashRequest request, out int piece, out int dataLength)
    {
        (piece, dataLength) = (-1, 0);
        if (request.BaseLayer != 0 || file.IsPad || file.Length <= 0)
        {
            return false;
        }

        int width = PieceWidth(torrent, file);
        int pieceHeight = PieceLayerTree.PieceHeight(torrent.PieceLength);
        bool small = file.Length <= torrent.PieceLength;
        int pieceInFile = request.Index / width;
        int pieces = file.LastPiece - file.FirstPiece + 1;
        int top = BitOperations.Log2((uint)request.Length) + request.UncleCount;
        int treeHeight = small ? BitOperations.Log2((uint)width) : pieceHeight + BitOperations.Log2((uint)MerkleTree.RoundUpToPowerOfTwo(pieces));
        if (request.Length > width || pieceInFile >= pieces || top > treeHeight || request.ProofLayers >= Math.Max(1, treeHeight))
        {
            return false;
        }

        piece = file.FirstPiece + pieceInFile;
        long start = (long)piece * torrent.PieceLength;
        dataLength = (int)Math.Min(torrent.PieceLength, file.Offset + file.Length - start);
        return true;
    }

    /// <summary>
    /// The hashes that answer <paramref name="request"/> from the piece's <paramref name="data"/>
    /// (located by <see cref="TryLocate"/>); <paramref name="tree"/> is the file's tree above the
    /// piece layer, needed only when uncles reach above it (null for a file of at most one piece).
    /// Null when they would be needed and are missing.
    /// </summary>
    public static byte[]? Build(TorrentInfo torrent, FileEntry file, in HashRequest request, ReadOnlySpan<byte> data, PieceLayerTree? tree)
    {
        int width = PieceWidth(torrent, file);
        int widthHeight = BitOperations.Log2((uint)width);
        int pieceInFile = request.Index / width;
        int local = request.Index % width;

        // The piece's subtree: its leaves, padded with zero leaves to the width.
        var leaves = new byte[MerkleTree.BlockCount(data.Length) * MerkleTree.HashSize];
        for (int block = 0; block * MerkleTree.BlockSize < data.Length; block++)
        {
            var bytes = data.Slice(block * MerkleTree.BlockSize, Math.Min(MerkleTree.BlockSize, data.Length - (block * MerkleTree.BlockSize)));
            SHA256.HashData(bytes, leaves.AsSpan(block * MerkleTree.HashSize, MerkleTree.HashSize));
        }

        var piece = PieceLayerTree.Over(leaves, width, MerkleTree.PadHash(0));
        int uncles = request.UncleCount;
        int subtree = BitOperations.Log2((uint)request.Length);
        var hashes = new byte[(request.Length + uncles) * MerkleTree.HashSize];
        for (int i = 0; i < request.Length; i++)
        {
            piece.Node(0, local + i).CopyTo(hashes.AsSpan(i * MerkleTree.HashSize));
        }

        for (int u = 0; u < uncles; u++)
        {
            int level = subtree + u;
            var destination = hashes.AsSpan((request.Length + u) * MerkleTree.HashSize, MerkleTree.HashSize);
            if (level < widthHeight)
            {
                piece.Node(level, (local >> level) ^ 1).CopyTo(destination);
            }
            else if (tree is not null && level - widthHeight < tree.Height)
            {
                tree.Node(level - widthHeight, (pieceInFile >> (level - widthHeight)) ^ 1).CopyTo(destination);
            }
            else
            {
                return null;
            }
        }

        return hashes;
    }

    // Leaves under one piece's node: a full piece's, or for a file of at most one piece its own blocks padded to a power of two.
    private static int PieceWidth(TorrentInfo torrent, FileEntry file) =>
        file.Length <= torrent.PieceLength
            ? (int)MerkleTree.RoundUpToPowerOfTwo(MerkleTree.BlockCount(file.Length))
            : torrent.PieceLength / MerkleTree.BlockSize;
}
