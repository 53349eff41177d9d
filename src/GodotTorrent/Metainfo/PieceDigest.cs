using System.Security.Cryptography;

namespace GodotTorrent.Metainfo;

/// <summary>
/// The hashes of one piece, fed in order: SHA-1 of every byte (v1) and SHA-256 of each 16 KiB
/// leaf of the piece's v2 bytes, folded into the piece's merkle node (BEP 52). Creation, the
/// check and the downloader's verify all hash through it, so they cannot disagree. Both hashes
/// are taken a leaf at a time, so the second reads the bytes while the first left them in the
/// L1 cache: one pass over the piece instead of two.
/// </summary>
/// <remarks>
/// Not thread-safe: one per worker or per piece in progress, reused with <see cref="Reset"/>.
/// Allocates only when constructed.
/// </remarks>
internal sealed class PieceDigest : IDisposable
{
    /// <summary>Length of a SHA-1 digest.</summary>
    public const int Sha1Size = 20;

    private readonly IncrementalHash? _sha1;
    private readonly byte[] _leaves;
    private readonly byte[] _fold;
    private readonly byte[] _partialLeaf;
    private int _leafCount;
    private int _partialLength;
    private int _position;
    private int _v2Length;

    /// <summary>A digest for pieces of at most <paramref name="pieceLength"/> bytes.</summary>
    public PieceDigest(int pieceLength, bool v1, bool v2)
    {
        if (v1)
        {
            _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        }

        int leaves = (int)Math.Max(1, MerkleTree.BlockCount(pieceLength));
        _leaves = v2 ? new byte[leaves * MerkleTree.HashSize] : [];
        _fold = v2 ? new byte[leaves * MerkleTree.HashSize] : [];
        _partialLeaf = v2 ? new byte[MerkleTree.BlockSize] : [];
    }

    /// <summary>Bytes appended since <see cref="Reset"/>.</summary>
    public int Position => _position;

    /// <summary>
    /// The SHA-256 of each whole 16 KiB leaf taken so far, in order; after <see cref="FinishNode"/>
    /// every leaf of the piece, the short last one included (BEP 52 block hashes are compared with them).
    /// </summary>
    public ReadOnlySpan<byte> Leaves => _leaves.AsSpan(0, _leafCount * MerkleTree.HashSize);

    /// <summary>
    /// Takes the next leaf by its hash alone, for a block already proven by its BEP 52 block hash:
    /// only where no SHA-1 needs the bytes, at a leaf boundary, and a short leaf only as the last.
    /// </summary>
    public void AppendKnownLeaf(ReadOnlySpan<byte> leaf, int length)
    {
        if (_sha1 is not null || _partialLength != 0 || _position % MerkleTree.BlockSize != 0 || leaf.Length != MerkleTree.HashSize
            || length <= 0 || length > MerkleTree.BlockSize || _position + length > _v2Length
            || (length < MerkleTree.BlockSize && _position + length != _v2Length))
        {
            throw new InvalidOperationException($"A leaf of {length} bytes cannot be taken at {_position}.");
        }

        leaf.CopyTo(_leaves.AsSpan(_leafCount * MerkleTree.HashSize));
        _leafCount++;
        _position += length;
    }

    /// <summary>
    /// Starts a piece whose first <paramref name="v2Length"/> bytes are v2 file data (0: none;
    /// the pad bytes of a hybrid piece come after them and have no leaves).
    /// </summary>
    public void Reset(int v2Length)
    {
        if (_sha1 is not null && _position > 0)
        {
            // GetHashAndReset leaves the instance clean; this drops any half-hashed state after an abandoned piece.
            Span<byte> discard = stackalloc byte[Sha1Size];
            _sha1.GetHashAndReset(discard);
        }

        _v2Length = _leaves.Length == 0 ? 0 : v2Length;
        _position = 0;
        _leafCount = 0;
        _partialLength = 0;
    }

    /// <summary>Hashes the next bytes of the piece.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_position >= _v2Length)
        {
            // No leaves left to take (v1 only, or a hybrid piece's pad bytes): one call for all of it.
            _sha1?.AppendData(data);
            _position += data.Length;
            return;
        }

        while (!data.IsEmpty)
        {
            // Up to the next leaf boundary, so both hashes take the same bytes while they are hot.
            int take = Math.Min(data.Length, MerkleTree.BlockSize - (_position % MerkleTree.BlockSize));
            var chunk = data[..take];
            _sha1?.AppendData(chunk);
            if (_position < _v2Length)
            {
                AppendLeafBytes(chunk[..Math.Min(take, _v2Length - _position)]);
            }

            _position += take;
            data = data[take..];
        }
    }

    /// <summary>Writes the SHA-1 of the bytes appended (v1) and starts over.</summary>
    public void FinishSha1(Span<byte> destination)
    {
        if (_sha1 is null)
        {
            throw new InvalidOperationException("This digest does not hash v1.");
        }

        _sha1.GetHashAndReset(destination);
    }

    /// <summary>
    /// Writes the merkle node over the piece's leaves, padded with zero leaves to
    /// <paramref name="paddedLeaves"/> (a power of two: the leaves of a full piece for a piece
    /// layer node, or the file's own rounded block count for a file of at most one piece, whose
    /// node is its pieces root).
    /// </summary>
    public void FinishNode(long paddedLeaves, Span<byte> destination)
    {
        if (_partialLength > 0)
        {
            // BEP 52: the file's last block is hashed as it is, shorter than 16 KiB, without padding.
            HashLeaf(_partialLeaf.AsSpan(0, _partialLength));
            _partialLength = 0;
        }

        if (_leafCount == 0)
        {
            throw new InvalidOperationException("The piece has no v2 bytes.");
        }

        // Folded in a copy, so a failed piece's leaves stay readable in Leaves until the next Reset.
        var leaves = _fold.AsSpan(0, _leafCount * MerkleTree.HashSize);
        Leaves.CopyTo(leaves);
        MerkleTree.FoldInPlace(leaves, paddedLeaves, 0);
        leaves[..MerkleTree.HashSize].CopyTo(destination);
    }

    public void Dispose() => _sha1?.Dispose();

    private void AppendLeafBytes(ReadOnlySpan<byte> data)
    {
        // Append cuts at leaf boundaries, so a chunk is a whole leaf or a piece of one.
        if (_partialLength == 0 && data.Length == MerkleTree.BlockSize)
        {
            HashLeaf(data);
            return;
        }

        data.CopyTo(_partialLeaf.AsSpan(_partialLength));
        _partialLength += data.Length;
        if (_partialLength == MerkleTree.BlockSize)
        {
            HashLeaf(_partialLeaf);
            _partialLength = 0;
        }
    }

    private void HashLeaf(ReadOnlySpan<byte> block)
    {
        SHA256.HashData(block, _leaves.AsSpan(_leafCount * MerkleTree.HashSize, MerkleTree.HashSize));
        _leafCount++;
    }
}
