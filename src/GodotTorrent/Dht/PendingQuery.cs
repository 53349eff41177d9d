using System.Net;

namespace GodotTorrent.Dht;

/// <summary>A query we sent and wait for: who to, what for, and until when.</summary>
internal sealed class PendingQuery(ushort transactionId, IPEndPoint to, KrpcMethod method, DateTimeOffset deadline)
{
    public ushort TransactionId { get; } = transactionId;

    public IPEndPoint To { get; } = to;

    public KrpcMethod Method { get; } = method;

    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>The lookup the query belongs to, if any.</summary>
    public DhtLookup? Lookup { get; init; }

    public LookupCandidate? Candidate { get; init; }

    /// <summary>An announce_peer of <see cref="Lookup"/> (its acks are counted, its replies carry no nodes).</summary>
    public bool IsAnnounce { get; init; }
}
