using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>
/// Hashes one piece incrementally as its bytes arrive in order, then checks it against the
/// torrent: SHA-1 of the whole piece for v1; for v2 (BEP 52) SHA-256 of each 16 KiB leaf folded
/// with <see cref="MerkleTree"/> to the piece-layer node (or to the file's pieces root for a file
/// of at most one piece). A hybrid piece must pass both, so v1 and v2 can never disagree about
/// what we have.
/// </summary>
/// <remarks>Not thread-safe; one instance per piece in progress (reusable with <see cref="Reset"/>).</remarks>
internal sealed class PieceHasher : IDisposable
{
    private readonly TorrentInfo _torrent;
    private readonly PieceLayout _layout;
    private readonly PieceDigest _digest;

    // The v2 file of the current piece and how many of the piece's bytes belong to it (pad bytes
    // of a hybrid torrent come after them and are not part of the merkle tree).
    private FileEntry? _v2File;

    /// <summary>
    /// A hasher for <paramref name="layout"/>'s pieces; with <paramref name="knownLeaves"/> it hashes
    /// no bytes itself: a piece's SHA-1 and leaves come from lanes (<see cref="Digest"/>,
    /// <see cref="VerifyKnown"/>).
    /// </summary>
    public PieceHasher(PieceLayout layout, bool knownLeaves = false)
    {
        ArgumentNullException.ThrowIfNull(layout);
        _layout = layout;
        _torrent = layout.Torrent;
        _digest = new PieceDigest(_torrent.PieceLength, _torrent.HasV1 && !knownLeaves, _torrent.HasV2);
        Piece = -1;
    }

    /// <summary>The piece being hashed, or -1 before <see cref="Reset"/>.</summary>
    public int Piece { get; private set; }

    /// <summary>Bytes of the piece hashed so far (the next byte expected is at this offset).</summary>
    public int Position => _digest.Position;

    /// <summary>Bytes in the piece.</summary>
    public int PieceSize { get; private set; }

    /// <summary>The piece's bytes that belong to its v2 file (0 in a v1 torrent; pad bytes of a hybrid piece come after them).</summary>
    public int V2Length { get; private set; }

    /// <summary>The digest the piece's leaves go to, for a hasher made with known leaves.</summary>
    internal PieceDigest Digest => _digest;

    /// <summary>Starts hashing <paramref name="piece"/> from its first byte.</summary>
    public void Reset(int piece)
    {
        PieceSize = _layout.GetPieceSize(piece);
        Piece = piece;
        _v2File = null;
        int v2Length = 0;
        if (_torrent.HasV2)
        {
            // BEP 52: every v2 file starts on a piece boundary, so a piece holds bytes of exactly one file.
            long start = (long)piece * _torrent.PieceLength;
            var file = _torrent.FindFileAt(start);
            if (file is not null && PieceLayout.IsStored(file))
            {
                _v2File = file;
                v2Length = (int)Math.Min(PieceSize, file.Offset + file.Length - start);
            }
        }

        V2Length = v2Length;
        _digest.Reset(v2Length);
    }

    /// <summary>Hashes the next <paramref name="data"/>.Length bytes of the piece.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (Piece < 0)
        {
            throw new InvalidOperationException("Reset the hasher to a piece first.");
        }

        if (data.Length > PieceSize - Position)
        {
            throw new ArgumentOutOfRangeException(nameof(data), $"{data.Length} bytes at {Position} overrun piece {Piece} of {PieceSize} bytes.");
        }

        _digest.Append(data);
    }

    /// <summary>
    /// True when every byte has been appended and the piece matches its hashes. A v2 piece whose
    /// piece layer is not known yet (metadata from peers) cannot be verified and is reported false.
    /// </summary>
    public bool Verify()
    {
        if (Piece < 0 || Position != PieceSize)
        {
            return false;
        }

        Span<byte> sha1 = stackalloc byte[PieceDigest.Sha1Size];
        if (_torrent.HasV1)
        {
            _digest.FinishSha1(sha1);
        }

        return Decide(sha1);
    }

    /// <summary>
    /// <see cref="Verify()"/> for a hasher made with known leaves: every leaf of the piece's v2 bytes
    /// appended to <see cref="Digest"/>, and <paramref name="sha1"/> the piece's SHA-1 (v1).
    /// </summary>
    public bool VerifyKnown(ReadOnlySpan<byte> sha1) => Piece >= 0 && Position == V2Length && Decide(sha1);

    private bool Decide(ReadOnlySpan<byte> sha1)
    {
        bool ok = true;
        if (_torrent.HasV1)
        {
            ok = sha1.SequenceEqual(_torrent.GetPieceHashV1(Piece));
        }

        if (_torrent.HasV2 && _v2File is not null)
        {
            var v2 = VerifyV2();
            // A hybrid torrent's v1 hash still decides when the v2 layer is unknown; a v2-only one cannot.
            ok &= v2 ?? _torrent.HasV1;
        }
        else if (!_torrent.HasV1)
        {
            ok = false;
        }

        return ok;
    }

    /// <summary>
    /// True when the piece is hashed only as BEP 52 leaves (a v2-only torrent): a block whose leaf
    /// is already known can then be taken by <see cref="AppendLeaf"/> without its bytes.
    /// </summary>
    public bool TakesLeaves => !_torrent.HasV1 && _v2File is not null;

    /// <summary>
    /// The SHA-256 of each 16 KiB block of the piece's v2 data, in order: after <see cref="Verify()"/>
    /// every leaf the piece has (empty for a piece of no v2 file). A failed piece keeps them so the
    /// blocks can be compared one by one with block hashes from a peer.
    /// </summary>
    public ReadOnlySpan<byte> LeafHashes => _v2File is null ? [] : _digest.Leaves;

    /// <summary>
    /// Takes the next block by its leaf hash alone (a block already proven by its BEP 52 block hash),
    /// so a piece that failed only in some blocks is not read and hashed again in the others.
    /// </summary>
    public void AppendLeaf(ReadOnlySpan<byte> leaf, int length)
    {
        if (!TakesLeaves)
        {
            throw new InvalidOperationException($"Piece {Piece} is not hashed by its leaves alone.");
        }

        _digest.AppendKnownLeaf(leaf, length);
    }

    /// <summary>Hashes a whole piece held in <paramref name="data"/> and checks it.</summary>
    public bool Verify(int piece, ReadOnlySpan<byte> data)
    {
        Reset(piece);
        if (data.Length != PieceSize)
        {
            return false;
        }

        Append(data);
        return Verify();
    }

    public void Dispose() => _digest.Dispose();

    private bool? VerifyV2()
    {
        var file = _v2File!;
        Span<byte> node = stackalloc byte[MerkleTree.HashSize];
        if (file.Length <= _torrent.PieceLength)
        {
            // A file of at most one piece has no piece layer: its pieces root is the tree over its
            // leaves padded with zero leaves to a power of two of its own block count.
            _digest.FinishNode(MerkleTree.RoundUpToPowerOfTwo(MerkleTree.BlockCount(file.Length)), node);
            return node.SequenceEqual(file.PiecesRoot.Span);
        }

        var layer = _torrent.GetPieceLayer(file.Index);
        if (layer.IsEmpty)
        {
            return null;
        }

        int index = Piece - file.FirstPiece;
        // The last piece of a file is padded with zero leaves up to a full piece's subtree.
        _digest.FinishNode(_torrent.PieceLength / MerkleTree.BlockSize, node);
        return node.SequenceEqual(layer.Slice(index * MerkleTree.HashSize, MerkleTree.HashSize));
    }
}
