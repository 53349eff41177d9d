using System.Numerics;
using GodotTorrent.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Torrent;

/// <summary>
/// Finds the bad blocks of v2 pieces that failed their hash check, as libtorrent does (BEP 52): the
/// piece's 16 KiB block hashes are asked of one peer at a time (base layer 0, the piece's blocks
/// padded to a power of two, no uncles: they must fold to the piece-layer node we already hold, or
/// to the pieces root of a file of at most one piece), then each of our leaves is compared with its
/// proven hash. A refused or timed-out request goes to another peer; when no peer is left the piece
/// falls back to the whole-piece path. Pure bookkeeping, bounded to <see cref="MaxPieces"/> pieces.
/// Engine loop only.
/// </summary>
internal sealed class BlockHashCheck
{
    /// <summary>Failed pieces checked at once; more fall back to the whole-piece path.</summary>
    public const int MaxPieces = 64;

    /// <summary>Requests out to one peer at once (a server reads and hashes each piece: libtorrent and we answer a few at a time).</summary>
    public const int MaxInFlightPerPeer = 2;

    /// <summary>A request unanswered this long goes to another peer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Dictionary<int, Check> _checks = [];

    /// <summary>Pieces waiting for block hashes.</summary>
    public int Count => _checks.Count;

    /// <summary>Pieces checked so far by block hashes (tests and logs look).</summary>
    public int Resolved { get; private set; }

    /// <summary>
    /// The request for the block hashes of <paramref name="piece"/>, or null when its blocks cannot be
    /// told apart that way (no v2 file, or a single block: the whole piece is the block).
    /// </summary>
    public static HashRequest? RequestFor(TorrentInfo torrent, int piece)
    {
        if (!torrent.HasV2 || torrent.FindFileAt((long)piece * torrent.PieceLength) is not { IsPad: false, Length: > 0 } file)
        {
            return null;
        }

        int blocksPerPiece = torrent.PieceLength / MerkleTree.BlockSize;
        bool small = file.Length <= torrent.PieceLength;
        // A file of at most one piece has no piece layer: its tree over its own blocks is the whole tree.
        int length = small ? (int)MerkleTree.RoundUpToPowerOfTwo(MerkleTree.BlockCount(file.Length)) : blocksPerPiece;
        int index = small ? 0 : (piece - file.FirstPiece) * blocksPerPiece;
        return length < 2 ? null : new HashRequest(file.PiecesRoot, 0, index, length, BitOperations.Log2((uint)length) - 1);
    }

    /// <summary>
    /// Compares our <paramref name="leaves"/> with block hashes that answer <paramref name="request"/>:
    /// the indexes of the blocks that differ, or null when the hashes do not prove the node we hold
    /// for the piece (or we hold none).
    /// </summary>
    public static List<int>? BadBlocks(TorrentInfo torrent, int piece, in HashRequest request, ReadOnlySpan<byte> hashes, ReadOnlySpan<byte> leaves)
    {
        if (request.UncleCount != 0 || hashes.Length != request.Length * MerkleTree.HashSize
            || torrent.FindFileAt((long)piece * torrent.PieceLength) is not { } file)
        {
            return null;
        }

        ReadOnlySpan<byte> expected;
        if (file.Length <= torrent.PieceLength)
        {
            expected = file.PiecesRoot.Span;
        }
        else
        {
            var layer = torrent.GetPieceLayer(file.Index);
            int at = (piece - file.FirstPiece) * MerkleTree.HashSize;
            if (layer.Length < at + MerkleTree.HashSize)
            {
                return null;
            }

            expected = layer.Slice(at, MerkleTree.HashSize);
        }

        if (!MerkleTree.ComputeRoot(hashes, request.Length, 0).AsSpan().SequenceEqual(expected))
        {
            return null;
        }

        var bad = new List<int>();
        for (int block = 0; (block + 1) * MerkleTree.HashSize <= leaves.Length && block < request.Length; block++)
        {
            var range = new Range(block * MerkleTree.HashSize, (block + 1) * MerkleTree.HashSize);
            if (!leaves[range].SequenceEqual(hashes[range]))
            {
                bad.Add(block);
            }
        }

        return bad;
    }

    /// <summary>Starts checking <paramref name="piece"/>; false when too many are being checked (or it already is).</summary>
    public bool Start(int piece, in HashRequest request, byte[] leaves, ulong[]? digests)
    {
        if (_checks.Count >= MaxPieces || _checks.ContainsKey(piece))
        {
            return false;
        }

        _checks.Add(piece, new Check(request, leaves, digests));
        return true;
    }

    /// <summary>The pieces whose request is out to nobody: the caller asks a peer (<see cref="Sent"/>) or gives up (<see cref="Abandon"/>).</summary>
    public List<int> Unassigned() => _checks.Where(c => c.Value.Peer is null).Select(c => c.Key).ToList();

    /// <summary>True when <paramref name="request"/> is out to <paramref name="peer"/> for a check.</summary>
    public bool IsOutTo(int peer, in HashRequest request)
    {
        if (request.BaseLayer != 0 || _checks.Count == 0)
        {
            return false;
        }

        foreach (var check in _checks.Values)
        {
            if (check.Peer == peer && check.Request.SameAs(request))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Requests out to <paramref name="peer"/> now.</summary>
    public int InFlight(int peer) => _checks.Values.Count(c => c.Peer == peer);

    /// <summary>The request for <paramref name="piece"/>, and whether <paramref name="peer"/> was tried for it already.</summary>
    public (HashRequest Request, bool Tried) Get(int piece, int peer)
    {
        var check = _checks[piece];
        return (check.Request, check.Tried.Contains(peer));
    }

    /// <summary>The request of <paramref name="piece"/> went to <paramref name="peer"/>.</summary>
    public void Sent(int piece, int peer, DateTimeOffset now)
    {
        var check = _checks[piece];
        check.Peer = peer;
        check.SentAt = now;
        check.Tried.Add(peer);
    }

    /// <summary>Stops checking <paramref name="piece"/>; returns its smart-ban digests for the whole-piece path.</summary>
    public ulong[]? Abandon(int piece) => _checks.Remove(piece, out var check) ? check.Digests : null;

    /// <summary>
    /// Hashes from <paramref name="peer"/>: finds the piece they answer (false when we did not ask it:
    /// a late answer) and takes it out of the check, with our leaves and digests.
    /// </summary>
    public bool TryTake(int peer, in HashRequest request, out int piece, out byte[] leaves, out ulong[]? digests)
    {
        foreach (var (candidate, check) in _checks)
        {
            if (check.Peer == peer && check.Request.SameAs(request))
            {
                _checks.Remove(candidate);
                Resolved++;
                (piece, leaves, digests) = (candidate, check.Leaves, check.Digests);
                return true;
            }
        }

        (piece, leaves, digests) = (-1, [], null);
        return false;
    }

    /// <summary>Puts a taken check back (its answer did not prove the piece): another peer is asked.</summary>
    public void Restore(int piece, in HashRequest request, byte[] leaves, ulong[]? digests, int triedPeer)
    {
        Resolved--;
        var check = new Check(request, leaves, digests);
        check.Tried.Add(triedPeer);
        _checks[piece] = check;
    }

    /// <summary>A reject from <paramref name="peer"/>: the request goes to another peer.</summary>
    public void OnReject(int peer, in HashRequest request)
    {
        foreach (var check in _checks.Values)
        {
            if (check.Peer == peer && check.Request.SameAs(request))
            {
                check.Peer = null;
            }
        }
    }

    /// <summary>Releases requests out too long or to peers gone; returns true when any was.</summary>
    public bool Expire(DateTimeOffset now, Func<int, bool> connected)
    {
        bool any = false;
        foreach (var check in _checks.Values)
        {
            if (check.Peer is { } peer && (!connected(peer) || now - check.SentAt > Timeout))
            {
                check.Peer = null;
                any = true;
            }
        }

        return any;
    }

    /// <summary>Forgets everything (the torrent is rechecked or stopped).</summary>
    public void Clear() => _checks.Clear();

    private sealed class Check(HashRequest request, byte[] leaves, ulong[]? digests)
    {
        public HashRequest Request { get; } = request;

        public byte[] Leaves { get; } = leaves;

        public ulong[]? Digests { get; } = digests;

        public int? Peer { get; set; }

        public DateTimeOffset SentAt { get; set; }

        public HashSet<int> Tried { get; } = [];
    }
}
