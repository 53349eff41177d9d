namespace GodotTorrent.Peers;

/// <summary>
/// Which connection makes room when a newcomer arrives at a connection limit. As libtorrent does,
/// a full torrent closes its least useful connection instead of refusing every stranger, so
/// connections that hold a slot and say nothing cannot lock real peers out. A newcomer is worth
/// as much as a fresh connection: only connections worth less than that are evicted.
/// </summary>
internal static class SlotEviction
{
    /// <summary>Candidates looked at per decision, so one arrival costs bounded work.</summary>
    public const int MaxScanned = 256;

    /// <summary>
    /// The index of the connection to close for a newcomer, or -1 when every connection is more
    /// useful than a stranger (moving data, or interested either way). Least useful first: silent
    /// since the handshake, then a seed while we seed, then idle and uninterested both ways;
    /// within each, the one idle longest.
    /// </summary>
    public static int PickVictim(ReadOnlySpan<SlotCandidate> candidates)
    {
        int best = -1;
        int bestRank = int.MaxValue;
        int scanned = Math.Min(candidates.Length, MaxScanned);
        for (int i = 0; i < scanned; i++)
        {
            int rank = Rank(candidates[i]);
            if (rank < 0)
            {
                continue;
            }

            if (best < 0 || rank < bestRank || (rank == bestRank && IdleLonger(candidates[i], candidates[best])))
            {
                best = i;
                bestRank = rank;
            }
        }

        return best;
    }

    /// <summary>0 is the least useful; -1 means never evicted for a newcomer.</summary>
    public static int Rank(in SlotCandidate candidate)
    {
        if (candidate.MovingData)
        {
            return -1;
        }

        if (!candidate.HeardFrom)
        {
            return 0;
        }

        if (candidate.UselessSeed)
        {
            return 1;
        }

        return candidate.Interested ? -1 : 2;
    }

    private static bool IdleLonger(in SlotCandidate a, in SlotCandidate b) =>
        a.LastUseful < b.LastUseful || (a.LastUseful == b.LastUseful && a.Id < b.Id);
}
