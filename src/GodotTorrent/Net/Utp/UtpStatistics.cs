namespace GodotTorrent.Net.Utp;

/// <summary>What one socket's uTP refused or lost, for tests and the session's statistics. Written under the manager's lock.</summary>
internal sealed class UtpStatistics
{
    /// <summary>Datagrams that looked like uTP but did not parse.</summary>
    public long Malformed { get; set; }

    /// <summary>Packets for a connection we do not have.</summary>
    public long UnknownConnection { get; set; }

    /// <summary>RESETs sent for such packets (rate-limited).</summary>
    public long ResetsSent { get; set; }

    /// <summary>SYNs refused (incoming uTP off, table full) and accepted connections the backlog had no room for.</summary>
    public long Refused { get; set; }

    /// <summary>Half-open connections dropped for a newcomer or after their time-out.</summary>
    public long HalfOpenEvicted { get; set; }

    /// <summary>Every datagram refused: malformed, unknown connection, SYN refused.</summary>
    public long Dropped => Malformed + UnknownConnection + Refused;

    /// <summary>Datagrams the system would not send.</summary>
    public long SendFailures { get; set; }
}
