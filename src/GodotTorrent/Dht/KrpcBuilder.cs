using System.Net;
using GodotTorrent.Bencoding;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>Builds KRPC messages (BEP 5) with <see cref="BencodeWriter"/>; keys are shared instances.</summary>
internal static class KrpcBuilder
{
    public const int ProtocolError = 203;
    public const int MethodUnknown = 204;

    private static readonly BString T = new("t");
    private static readonly BString Y = new("y");
    private static readonly BString Q = new("q");
    private static readonly BString A = new("a");
    private static readonly BString R = new("r");
    private static readonly BString E = new("e");
    private static readonly BString Ro = new("ro");
    private static readonly BString Ip = new("ip");
    private static readonly BString QueryKind = new("q");
    private static readonly BString ResponseKind = new("r");
    private static readonly BString ErrorKind = new("e");
    private static readonly BInteger One = new(1);

    public static readonly BString IdKey = new("id");
    public static readonly BString TargetKey = new("target");
    public static readonly BString InfoHashKey = new("info_hash");
    public static readonly BString TokenKey = new("token");
    public static readonly BString PortKey = new("port");
    public static readonly BString ImpliedPortKey = new("implied_port");
    public static readonly BString SeedKey = new("seed");
    public static readonly BString WantKey = new("want");

    /// <summary>BEP 32 <c>want: [n4, n6]</c>, what a node with both an IPv4 and an IPv6 socket asks for.</summary>
    public static readonly BList WantBoth = new([new BString("n4"), new BString("n6")]);
    public static readonly BString NodesKey = new("nodes");
    public static readonly BString Nodes6Key = new("nodes6");
    public static readonly BString ValuesKey = new("values");
    public static readonly BString SamplesKey = new("samples");
    public static readonly BString NumKey = new("num");
    public static readonly BString IntervalKey = new("interval");

    /// <summary>A dictionary holding our id, to add a query's arguments or a response's values to.</summary>
    public static BDictionary WithId(Id20 id)
    {
        var dictionary = new BDictionary();
        dictionary.Set(IdKey, new BString(id.ToArray()));
        return dictionary;
    }

    public static byte[] Query(byte[] transactionId, KrpcMethod method, BDictionary arguments, bool readOnly)
    {
        var message = new BDictionary();
        message.Set(T, new BString(transactionId));
        message.Set(Y, QueryKind);
        message.Set(Q, new BString(KrpcParser.NameOf(method)));
        message.Set(A, arguments);
        if (readOnly)
        {
            message.Set(Ro, One);
        }

        return BencodeWriter.Encode(message);
    }

    /// <summary>A response; <paramref name="requester"/> goes in <c>ip</c> so it learns its external address (BEP 42).</summary>
    public static byte[] Response(byte[] transactionId, BDictionary values, IPEndPoint requester)
    {
        var message = new BDictionary();
        message.Set(T, new BString(transactionId));
        message.Set(Y, ResponseKind);
        message.Set(R, values);
        message.Set(Ip, new BString(CompactEndPoints.Peer(requester)));
        return BencodeWriter.Encode(message);
    }

    public static byte[] Error(byte[] transactionId, int code, string text)
    {
        var message = new BDictionary();
        message.Set(T, new BString(transactionId));
        message.Set(Y, ErrorKind);
        message.Set(E, new BList([new BInteger(code), new BString(text)]));
        return BencodeWriter.Encode(message);
    }
}
