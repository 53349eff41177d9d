namespace GodotTorrent.Peers;

/// <summary>
/// Connections that hold a slot without being of use are closed long before the two-minute
/// inactivity time-out (BEP 3 keep-alives): a stranger that handshakes and then says nothing, and,
/// when slots are scarce, a peer neither side wants anything from.
/// </summary>
internal static class PeerIdleRules
{
    /// <summary>The fraction of a connection limit above which slots count as scarce.</summary>
    public const double NearLimitFraction = 0.9;

    /// <summary>True when <paramref name="used"/> of <paramref name="limit"/> slots are taken and slots count as scarce.</summary>
    public static bool IsNearLimit(int used, int limit) => used >= Math.Ceiling(limit * NearLimitFraction);

    /// <summary>Why the connection should close now, or null to keep it.</summary>
    public static string? Expired(in SlotCandidate peer, DateTimeOffset connectedAt, DateTimeOffset now, in IdleLimits limits)
    {
        if (!peer.HeardFrom && now - connectedAt >= limits.Silence)
        {
            return "the peer sent no message after its handshake";
        }

        // Interest can come back (new pieces, a partial seed), so an idle pair is only broken up when
        // the slot is worth more to someone else.
        if (limits.NearLimit && !peer.Interested && !peer.MovingData && now - peer.LastUseful >= limits.Useless)
        {
            return "neither side has been interested or moved data for too long, and connection slots are scarce";
        }

        return null;
    }
}
