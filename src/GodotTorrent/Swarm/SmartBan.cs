namespace GodotTorrent.Swarm;

/// <summary>
/// Smart ban, as libtorrent does it: when a piece fails its hash, remember a digest of each block
/// and who sent it; when the piece later passes, every sender whose block differs from the good
/// data is a culprit, and the others are cleared. A failure whose every block came from one peer
/// names that peer at once. Pure logic, bounded: evidence for at most <c>capacity</c> failed
/// pieces, the oldest forgotten first. Engine loop only.
/// </summary>
internal sealed class SmartBan(int capacity = SmartBan.DefaultCapacity)
{
    public const int DefaultCapacity = 256;

    // A piece that keeps failing keeps a few rounds of evidence, not an unbounded list.
    private const int MaxRoundsPerPiece = 4;

    private readonly Dictionary<int, List<BlockEvidence>> _evidence = [];
    private readonly LinkedList<int> _order = new();

    /// <summary>Pieces with evidence waiting for the good data.</summary>
    public int Count => _evidence.Count;

    public bool HasEvidence(int piece) => _evidence.ContainsKey(piece);

    /// <summary>
    /// A piece of <paramref name="blockCount"/> blocks failed. Keeps the evidence, and returns the
    /// one sender to blame now when that peer sent every block (nobody else can be at fault).
    /// </summary>
    public BlockSender? PieceFailed(int piece, int blockCount, IReadOnlyList<BlockEvidence> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0)
        {
            return null;
        }

        if (!_evidence.TryGetValue(piece, out var kept))
        {
            if (_evidence.Count >= capacity && _order.First is { } oldest)
            {
                _evidence.Remove(oldest.Value);
                _order.RemoveFirst();
            }

            kept = [];
            _evidence[piece] = kept;
            _order.AddLast(piece);
        }

        if (kept.Count + blocks.Count <= MaxRoundsPerPiece * blockCount)
        {
            kept.AddRange(blocks);
        }

        var first = blocks[0].Sender;
        if (blocks.Count < blockCount)
        {
            return null; // Some bytes came from elsewhere (resume data): not one peer's fault for sure.
        }

        foreach (var block in blocks)
        {
            if (block.Sender != first)
            {
                return null;
            }
        }

        return first;
    }

    /// <summary>
    /// The piece passed with these block digests: returns each sender that had sent other bytes
    /// for some block (with how many bad blocks), and forgets the piece's evidence.
    /// </summary>
    public IReadOnlyList<(BlockSender Sender, int BadBlocks)> PiecePassed(int piece, ReadOnlySpan<ulong> goodDigests)
    {
        if (!_evidence.Remove(piece, out var kept))
        {
            return [];
        }

        _order.Remove(piece);
        var culprits = new Dictionary<BlockSender, int>();
        foreach (var block in kept)
        {
            if ((uint)block.Block < (uint)goodDigests.Length && goodDigests[block.Block] != block.Digest)
            {
                culprits[block.Sender] = culprits.GetValueOrDefault(block.Sender) + 1;
            }
        }

        return culprits.Select(c => (c.Key, c.Value)).ToList();
    }
}
