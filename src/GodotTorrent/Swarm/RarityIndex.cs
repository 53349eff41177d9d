namespace GodotTorrent.Swarm;

/// <summary>
/// The pieces nobody has started and we do not have ("fresh"), ranked for <see cref="PiecePicker"/>:
/// by level (effective priority), then by availability, rarest first (BEP 3's "rarest first").
/// </summary>
/// <remarks>
/// Each (level, availability) bucket is an unordered list kept in random order (each insert swaps
/// with a random slot), so the first hit in a bucket is a fair tie-break, and insert and removal are
/// O(1): a have message costs O(1), and a pick visits only as many pieces as it takes to find one
/// the peer has (or the peer's own pieces, when it has few). Engine loop only.
/// </remarks>
internal sealed class RarityIndex
{
    private const int Levels = PiecePicker.TopPriority + 1;

    private readonly List<List<int>>[] _buckets = new List<List<int>>[Levels];
    private readonly int[] _position;
    private readonly byte[] _level;
    private readonly int[] _availability;
    private readonly int[] _count = new int[Levels];
    private readonly Random _random;

    public RarityIndex(int pieceCount, Random random)
    {
        _random = random;
        _position = new int[pieceCount];
        _level = new byte[pieceCount];
        _availability = new int[pieceCount];
        Array.Fill(_position, -1);
        for (int level = 0; level < Levels; level++)
        {
            _buckets[level] = [];
        }
    }

    /// <summary>True when <paramref name="piece"/> is fresh (in the index).</summary>
    public bool Contains(int piece) => _position[piece] >= 0;

    /// <summary>How many fresh pieces have <paramref name="level"/>.</summary>
    public int Count(int level) => _count[level];

    /// <summary>Adds a fresh piece with its level and availability (remove it first when either changes).</summary>
    public void Add(int piece, int level, int availability)
    {
        List<List<int>> levelBuckets = _buckets[level];
        while (levelBuckets.Count <= availability)
        {
            levelBuckets.Add([]);
        }

        List<int> bucket = levelBuckets[availability];
        bucket.Add(piece);
        int pos = bucket.Count - 1;
        int swap = _random.Next(bucket.Count);
        if (swap != pos)
        {
            int other = bucket[swap];
            bucket[swap] = piece;
            bucket[pos] = other;
            _position[other] = pos;
            pos = swap;
        }

        _position[piece] = pos;
        _level[piece] = (byte)level;
        _availability[piece] = availability;
        _count[level]++;
    }

    public void Remove(int piece)
    {
        int level = _level[piece];
        List<int> bucket = _buckets[level][_availability[piece]];
        int pos = _position[piece];
        int last = bucket[^1];
        bucket[pos] = last;
        _position[last] = pos;
        bucket.RemoveAt(bucket.Count - 1);
        _position[piece] = -1;
        _count[level]--;
    }

    /// <summary>The rarest fresh piece of the highest level at least <paramref name="minLevel"/> that the peer has, or -1.</summary>
    public int Next(PeerPickState st, int minLevel)
    {
        int candidates = 0;
        for (int level = minLevel; level < Levels; level++)
        {
            candidates += _count[level];
        }

        if (candidates == 0)
        {
            return -1;
        }

        if (!st.IsSeed && (st.Has.SetCount <= 64 || st.Has.SetCount < candidates / 8))
        {
            return NextAmongPeerPieces(st, minLevel);
        }

        for (int level = PiecePicker.TopPriority; level >= minLevel; level--)
        {
            if (_count[level] == 0)
            {
                continue;
            }

            foreach (List<int> bucket in _buckets[level])
            {
                foreach (int piece in bucket)
                {
                    if (st.HasPiece(piece))
                    {
                        return piece;
                    }
                }
            }
        }

        return -1;
    }

    /// <summary>The same choice made by walking the peer's own pieces: cheaper when it has few.</summary>
    private int NextAmongPeerPieces(PeerPickState st, int minLevel)
    {
        int best = -1;
        for (int i = st.Has.NextSet(0); i >= 0; i = st.Has.NextSet(i + 1))
        {
            if (_position[i] < 0 || _level[i] < minLevel)
            {
                continue;
            }

            if (best < 0 || IsBetter(i, best))
            {
                best = i;
            }
        }

        return best;
    }

    private bool IsBetter(int a, int b)
    {
        if (_level[a] != _level[b])
        {
            return _level[a] > _level[b];
        }

        if (_availability[a] != _availability[b])
        {
            return _availability[a] < _availability[b];
        }

        return _position[a] < _position[b];
    }
}
