using System.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// A node in a routing table. BEP 5: good when it answered us within 15 minutes (or queried us,
/// having answered once), questionable after 15 minutes of silence, bad after failing to answer
/// repeatedly.
/// </summary>
internal sealed class RoutingNode(Id20 id, IPEndPoint endPoint, DateTimeOffset now)
{
    /// <summary>Failed queries in a row that make a node bad.</summary>
    public const int MaxFailures = 2;

    public static readonly TimeSpan GoodFor = TimeSpan.FromMinutes(15);

    public Id20 Id { get; set; } = id;

    public IPEndPoint EndPoint { get; } = endPoint;

    /// <summary>The last time it answered one of our queries; null when it never has.</summary>
    public DateTimeOffset? LastReply { get; set; }

    /// <summary>The last time we heard from it at all.</summary>
    public DateTimeOffset LastSeen { get; set; } = now;

    public int Failures { get; set; }

    /// <summary>When we last pinged it to see whether it is still there.</summary>
    public DateTimeOffset? PingedAt { get; set; }

    public bool IsBad => Failures >= MaxFailures || (LastReply is null && Failures > 0);

    public bool IsGood(DateTimeOffset now) => !IsBad && LastReply is { } reply && now - LastSeen < GoodFor && reply <= now;

    public DhtContact Contact => new(Id, EndPoint);
}
