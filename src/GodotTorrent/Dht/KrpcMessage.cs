using System.Net;
using GodotTorrent.Dht.Items;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// One parsed KRPC message (BEP 5): a query's arguments or a response's values, flattened, with
/// the fields of BEP 32 (<c>nodes6</c>, <c>want</c>), 42 (<c>ip</c>), 43 (<c>ro</c>) and 51
/// (<c>samples</c>). Fields the message did not carry keep their defaults.
/// </summary>
internal sealed class KrpcMessage
{
    public KrpcKind Kind { get; init; }

    /// <summary>The transaction id (at most <see cref="KrpcParser.MaxTransactionId"/> bytes).</summary>
    public byte[] TransactionId { get; init; } = [];

    public KrpcMethod Method { get; init; }

    /// <summary>The sender's node id; null for errors and for a query without one (malformed).</summary>
    public Id20? Id { get; init; }

    /// <summary>A query's <c>target</c> or <c>info_hash</c>.</summary>
    public Id20? Target { get; init; }

    public byte[]? Token { get; init; }

    public int Port { get; init; }

    public bool ImpliedPort { get; init; }

    public bool Seed { get; init; }

    /// <summary>BEP 43: the sender is read-only (answers nothing, keep it out of routing tables).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>BEP 32 <c>want</c>: n4 / n6 asked for (both false when absent: the socket's own family).</summary>
    public bool WantNodes4 { get; init; }

    public bool WantNodes6 { get; init; }

    /// <summary>Compact IPv4 nodes (a multiple of 26 bytes, checked).</summary>
    public byte[]? Nodes { get; init; }

    /// <summary>Compact IPv6 nodes (a multiple of 38 bytes, checked).</summary>
    public byte[]? Nodes6 { get; init; }

    /// <summary>Peers of a get_peers response (6- or 18-byte entries; others skipped).</summary>
    public IReadOnlyList<IPEndPoint>? Values { get; init; }

    /// <summary>BEP 42: the address the responder saw us at.</summary>
    public IPEndPoint? ExternalEndPoint { get; init; }

    /// <summary>BEP 51: concatenated 20-byte info-hashes.</summary>
    public byte[]? Samples { get; init; }

    public int Num { get; init; }

    public int Interval { get; init; }

    /// <summary>BEP 44: a get query's <c>seq</c> (send the item only when newer).</summary>
    public long? Sequence { get; init; }

    /// <summary>BEP 44: a put query's arguments, or null when <see cref="PutError"/> refused them.</summary>
    public DhtPutArguments? Put { get; init; }

    /// <summary>BEP 44: why a put query's arguments were refused (205, 207), with <see cref="ErrorMessage"/>.</summary>
    public DhtItemError PutError { get; init; }

    /// <summary>BEP 44: the item fields of a get response (unverified), or null.</summary>
    public DhtGetReply? Item { get; init; }

    /// <summary>A get response whose item fields had the wrong shape: a bad item.</summary>
    public bool BadItem { get; init; }

    public int ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }
}
