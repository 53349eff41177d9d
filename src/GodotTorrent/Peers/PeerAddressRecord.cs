using System.Net;

namespace GodotTorrent.Peers;

/// <summary>
/// What the torrent remembers about one address (or endpoint, where several peers share an
/// address) across connections: strikes for bad data and for breaking the protocol, the back-off
/// before it is dialled again, and the ban. Reconnecting resets none of it.
/// </summary>
internal sealed class PeerAddressRecord(IPEndPoint key)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>The address with port 0, or the whole endpoint when peers on one address are told apart.</summary>
    public IPEndPoint Key { get; } = key;

    public bool Banned { get; set; }

    public string? BanReason { get; set; }

    /// <summary>Pieces that failed with this peer as the only sender, or that smart ban proved it corrupted.</summary>
    public int HashStrikes { get; private set; }

    /// <summary>Connections we closed because the peer broke the protocol.</summary>
    public int ProtocolStrikes { get; private set; }

    /// <summary>Not dialled before this time (a protocol breaker's back-off).</summary>
    public DateTimeOffset NotBefore { get; private set; }

    public int AddHashStrike() => ++HashStrikes;

    /// <summary>A protocol strike: no redial for 30 s, 60 s, 120 s ... up to an hour.</summary>
    public int AddProtocolStrike(DateTimeOffset now)
    {
        ProtocolStrikes++;
        NotBefore = now + Backoff(ProtocolStrikes);
        return ProtocolStrikes;
    }

    public static TimeSpan Backoff(int strikes) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Clamp(strikes - 1, 0, 20)));
}
