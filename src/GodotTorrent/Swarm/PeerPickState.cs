namespace GodotTorrent.Swarm;

/// <summary>What <see cref="PiecePicker"/> knows about one peer: its pieces, its requests in flight, its hints.</summary>
internal sealed class PeerPickState
{
    public PeerPickState(int pieceCount)
    {
        Has = new Bitfield(pieceCount);
    }

    /// <summary>The pieces the peer announced (unused while <see cref="IsSeed"/>).</summary>
    public Bitfield Has { get; }

    /// <summary>The peer sent have-all (BEP 6) or a full bitfield: counted in the picker's seed count, not per piece.</summary>
    public bool IsSeed { get; set; }

    /// <summary>A source that serves runs of pieces best (a web seed): the piece after the last one picked comes next when it is as rare.</summary>
    public bool PrefersRuns { get; set; }

    /// <summary>The last piece picked for a source that <see cref="PrefersRuns"/>, or -1.</summary>
    public int LastPicked { get; set; } = -1;

    /// <summary>The peer chokes us: only allowed-fast pieces may be requested (BEP 6).</summary>
    public bool Choked { get; set; }

    /// <summary>Blocks requested from this peer and not yet answered, keyed by <see cref="PiecePicker.Key"/>.</summary>
    public HashSet<long> Pending { get; } = [];

    /// <summary>Pieces the peer lets us request while choked (BEP 6 allowed-fast).</summary>
    public List<int> AllowedFast { get; } = [];

    /// <summary>Pieces the peer suggested (BEP 6 suggest-piece): it probably has them in cache.</summary>
    public List<int> Suggested { get; } = [];

    /// <summary>True when the peer has <paramref name="piece"/>.</summary>
    public bool HasPiece(int piece) => IsSeed || Has[piece];
}
