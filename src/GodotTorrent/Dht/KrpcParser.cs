using System.Net;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht.Items;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// Strict KRPC parsing (BEP 5) with limits: whatever a stranger sends, the cost is bounded and
/// the outcome is a message, a protocol error to answer (error 203) or a counted drop.
/// Unknown keys are ignored.
/// </summary>
internal static class KrpcParser
{
    /// <summary>The largest datagram read; real KRPC messages stay under an Ethernet frame.</summary>
    public const int MaxDatagram = 4096;

    public const int MaxTransactionId = 16;

    public const int MaxToken = 64;

    /// <summary>Peers taken from one get_peers response (BEP 5 keeps a reply in one datagram: about 200 at most).</summary>
    public const int MaxValues = 300;

    private static readonly BencodeLimits Limits = new()
    {
        MaxDepth = 4,
        MaxStringLength = MaxDatagram,
        MaxElements = 2 * MaxValues,
        MaxInputLength = MaxDatagram,
    };

    /// <summary>
    /// Parses one datagram. Null when it is to be dropped; then <paramref name="protocolError"/>
    /// is the transaction id of a query too malformed to serve (answer it with error 203), or null.
    /// </summary>
    public static KrpcMessage? Parse(ReadOnlySpan<byte> datagram, out byte[]? protocolError)
    {
        protocolError = null;
        if (datagram.Length > MaxDatagram)
        {
            return null;
        }

        BDictionary top;
        try
        {
            if (BencodeReader.Decode(datagram, Limits) is not BDictionary dictionary)
            {
                return null;
            }

            top = dictionary;
        }
        catch (BencodeException)
        {
            return null;
        }

        if (top.Get<BString>("t") is not { } tid || tid.Bytes.Length is 0 or > MaxTransactionId || top.Get<BString>("y") is not { Bytes.Length: 1 } y)
        {
            return null;
        }

        byte[] transactionId = tid.Bytes.ToArray();
        bool readOnly = top.Get<BInteger>("ro") is { Value: 1 };
        var external = top.Get<BString>("ip") is { } ip ? CompactEndPoints.ReadPeer(ip.Span) : null;
        switch (y.Span[0])
        {
            case (byte)'q':
                var query = ParseQuery(top, datagram, transactionId, readOnly, external);
                protocolError = query is null ? transactionId : null;
                return query;
            case (byte)'r':
                return top.Get<BDictionary>("r") is { } r ? ParseResponse(r, datagram, transactionId, readOnly, external) : null;
            case (byte)'e':
                return ParseError(top, transactionId);
            default:
                return null;
        }
    }

    private static KrpcMessage? ParseQuery(BDictionary top, ReadOnlySpan<byte> packet, byte[] tid, bool readOnly, IPEndPoint? external)
    {
        if (top.Get<BString>("q") is not { } name || top.Get<BDictionary>("a") is not { } a || ReadId(a, "id") is not { } id)
        {
            return null;
        }

        var method = MethodOf(name.Span);
        Id20? target = method switch
        {
            KrpcMethod.FindNode or KrpcMethod.SampleInfohashes => ReadId(a, "target"),
            KrpcMethod.GetPeers or KrpcMethod.AnnouncePeer => ReadId(a, "info_hash"),
            KrpcMethod.Get => DhtGetArguments.TryParse(a, out var get) ? get.Target : null,
            _ => null,
        };
        if (target is null && method is not (KrpcMethod.Ping or KrpcMethod.Unknown or KrpcMethod.Put))
        {
            return null;
        }

        long? sequence = null;
        DhtPutArguments? put = null;
        var putError = DhtItemError.None;
        string? putMessage = null;
        if (method == KrpcMethod.Get)
        {
            DhtItemArguments.TryGetInteger(a, "seq", out sequence);
        }
        else if (method == KrpcMethod.Put)
        {
            // BEP 44: a malformed put is a 203; a value or salt too big gets its own code (205, 207).
            putError = DhtPutArguments.TryParse(a, packet, out put, out string text);
            if (putError == DhtItemError.ProtocolError)
            {
                return null;
            }

            putMessage = putError == DhtItemError.None ? null : text;
        }

        bool implied = a.Get<BInteger>("implied_port") is { Value: 1 };
        int port = a.Get<BInteger>("port") is { Value: > 0 and <= ushort.MaxValue } p ? (int)p.Value : 0;
        var token = a.Get<BString>("token");
        if (method == KrpcMethod.AnnouncePeer && (token is null || token.Bytes.Length > MaxToken || (port == 0 && !implied)))
        {
            return null;
        }

        bool want4 = false, want6 = false;
        if (a.Get<BList>("want") is { } want)
        {
            foreach (var item in want)
            {
                want4 |= item is BString { Span: [(byte)'n', (byte)'4'] };
                want6 |= item is BString { Span: [(byte)'n', (byte)'6'] };
            }
        }

        return new KrpcMessage
        {
            Kind = KrpcKind.Query,
            TransactionId = tid,
            Method = method,
            Id = id,
            Target = target,
            Token = token?.Bytes.ToArray(),
            Port = port,
            ImpliedPort = implied,
            Seed = a.Get<BInteger>("seed") is { Value: 1 },
            WantNodes4 = want4,
            WantNodes6 = want6,
            ReadOnly = readOnly,
            ExternalEndPoint = external,
            Sequence = sequence,
            Put = put,
            PutError = putError,
            ErrorMessage = putMessage,
        };
    }

    private static KrpcMessage? ParseResponse(BDictionary r, ReadOnlySpan<byte> packet, byte[] tid, bool readOnly, IPEndPoint? external)
    {
        if (ReadId(r, "id") is not { } id)
        {
            return null;
        }

        var token = r.Get<BString>("token");
        var nodes = r.Get<BString>("nodes");
        var nodes6 = r.Get<BString>("nodes6");
        var samples = r.Get<BString>("samples");
        if (token?.Bytes.Length > MaxToken
            || (nodes is not null && nodes.Bytes.Length % CompactEndPoints.Node4 != 0)
            || (nodes6 is not null && nodes6.Bytes.Length % CompactEndPoints.Node6 != 0)
            || (samples is not null && samples.Bytes.Length % Id20.Length != 0))
        {
            return null;
        }

        // BEP 44: a get reply's item; a misshapen one is kept as a bad item for the lookup to count.
        DhtGetReply? itemReply = null;
        bool badItem = false;
        if (r.ContainsKey("v") || r.ContainsKey("seq") || r.ContainsKey("k") || r.ContainsKey("sig"))
        {
            badItem = !DhtGetReply.TryParse(r, packet, out itemReply);
        }

        List<IPEndPoint>? values = null;
        if (r.Get<BList>("values") is { } list)
        {
            values = new List<IPEndPoint>(Math.Min(list.Count, MaxValues));
            foreach (var item in list)
            {
                if (values.Count < MaxValues && item is BString peer && CompactEndPoints.ReadPeer(peer.Span) is { Port: > 0 } endPoint)
                {
                    values.Add(endPoint);
                }
            }
        }

        return new KrpcMessage
        {
            Kind = KrpcKind.Response,
            TransactionId = tid,
            Id = id,
            Token = token?.Bytes.ToArray(),
            Nodes = nodes?.Bytes.ToArray(),
            Nodes6 = nodes6?.Bytes.ToArray(),
            Values = values,
            Samples = samples?.Bytes.ToArray(),
            Num = r.Get<BInteger>("num") is { Value: >= 0 and <= int.MaxValue } num ? (int)num.Value : 0,
            Interval = r.Get<BInteger>("interval") is { Value: >= 0 and <= int.MaxValue } interval ? (int)interval.Value : 0,
            Item = itemReply,
            BadItem = badItem,
            ReadOnly = readOnly,
            ExternalEndPoint = external,
        };
    }

    private static KrpcMessage? ParseError(BDictionary top, byte[] tid)
    {
        if (top.Get<BList>("e") is not { Count: >= 1 } e || e[0] is not BInteger code)
        {
            return null;
        }

        string? message = e.Count > 1 && e[1] is BString text ? text.Text : null;
        return new KrpcMessage { Kind = KrpcKind.Error, TransactionId = tid, ErrorCode = (int)Math.Clamp(code.Value, 0, 999), ErrorMessage = message };
    }

    private static Id20? ReadId(BDictionary dictionary, string key) =>
        dictionary.Get<BString>(key) is { Bytes.Length: Id20.Length } id ? new Id20(id.Span) : null;

    private static KrpcMethod MethodOf(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("ping"u8) => KrpcMethod.Ping,
        _ when name.SequenceEqual("find_node"u8) => KrpcMethod.FindNode,
        _ when name.SequenceEqual("get_peers"u8) => KrpcMethod.GetPeers,
        _ when name.SequenceEqual("announce_peer"u8) => KrpcMethod.AnnouncePeer,
        _ when name.SequenceEqual("sample_infohashes"u8) => KrpcMethod.SampleInfohashes,
        _ when name.SequenceEqual("get"u8) => KrpcMethod.Get,
        _ when name.SequenceEqual("put"u8) => KrpcMethod.Put,
        _ => KrpcMethod.Unknown,
    };

    /// <summary>The wire name of a method we send.</summary>
    public static string NameOf(KrpcMethod method) => method switch
    {
        KrpcMethod.Ping => "ping",
        KrpcMethod.FindNode => "find_node",
        KrpcMethod.GetPeers => "get_peers",
        KrpcMethod.AnnouncePeer => "announce_peer",
        KrpcMethod.SampleInfohashes => "sample_infohashes",
        KrpcMethod.Get => "get",
        KrpcMethod.Put => "put",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };
}
