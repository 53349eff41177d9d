using System.Buffers.Binary;
using System.Net;

namespace GodotTorrent.Dht;

/// <summary>
/// Our outstanding queries, by a 2-byte transaction id. A reply counts only when it comes from
/// the endpoint we asked (BEP 5 transactions are (tid, endpoint)); a query unanswered after
/// <see cref="Timeout"/> fails. Bounded: when <see cref="MaxPending"/> are out, no more are sent.
/// </summary>
internal sealed class TransactionTable(Random random)
{
    public const int MaxPending = 2048;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly Dictionary<ushort, PendingQuery> _pending = [];
    private ushort _next = (ushort)random.Next(ushort.MaxValue + 1);

    public int Count => _pending.Count;

    /// <summary>Starts a transaction; null when too many are out.</summary>
    public PendingQuery? Start(IPEndPoint to, KrpcMethod method, DateTimeOffset now, DhtLookup? lookup = null, LookupCandidate? candidate = null, bool announce = false)
    {
        if (_pending.Count >= MaxPending)
        {
            return null;
        }

        while (_pending.ContainsKey(_next))
        {
            _next++;
        }

        var query = new PendingQuery(_next++, to, method, now + Timeout) { Lookup = lookup, Candidate = candidate, IsAnnounce = announce };
        _pending.Add(query.TransactionId, query);
        return query;
    }

    public static byte[] Encode(ushort transactionId)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, transactionId);
        return bytes;
    }

    /// <summary>The query a reply answers, taken off the table; null for an unknown id or the wrong sender.</summary>
    public PendingQuery? Complete(ReadOnlySpan<byte> transactionId, IPEndPoint from)
    {
        if (transactionId.Length != 2 || !_pending.TryGetValue(BinaryPrimitives.ReadUInt16BigEndian(transactionId), out var query) || !query.To.Equals(from))
        {
            return null;
        }

        _pending.Remove(query.TransactionId);
        return query;
    }

    /// <summary>Takes every query past its deadline into <paramref name="expired"/>.</summary>
    public void TakeExpired(DateTimeOffset now, List<PendingQuery> expired)
    {
        foreach (var query in _pending.Values)
        {
            if (query.Deadline <= now)
            {
                expired.Add(query);
            }
        }

        foreach (var query in expired)
        {
            _pending.Remove(query.TransactionId);
        }
    }

    public void Clear(List<PendingQuery> dropped)
    {
        dropped.AddRange(_pending.Values);
        _pending.Clear();
    }
}
