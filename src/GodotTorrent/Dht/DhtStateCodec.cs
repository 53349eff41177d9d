using System.Net.Sockets;
using GodotTorrent.Bencoding;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// The "dht" entry of saved session state: our node ids (<c>id</c>, <c>id6</c>) and up to
/// <see cref="MaxNodes"/> good nodes per family as compact node info (<c>nodes</c>, <c>nodes6</c>).
/// Reading it is lenient: anything malformed is skipped.
/// </summary>
internal static class DhtStateCodec
{
    public const int MaxNodes = 200;

    public static BDictionary Save(Id20 id4, Id20 id6, IReadOnlyList<DhtContact> nodes4, IReadOnlyList<DhtContact> nodes6)
    {
        var state = new BDictionary();
        state.Set("id", new BString(id4.ToArray()));
        state.Set("id6", new BString(id6.ToArray()));
        state.Set("nodes", new BString(CompactEndPoints.Nodes(nodes4.Take(MaxNodes).ToList(), AddressFamily.InterNetwork)));
        state.Set("nodes6", new BString(CompactEndPoints.Nodes(nodes6.Take(MaxNodes).ToList(), AddressFamily.InterNetworkV6)));
        return state;
    }

    public static Id20? ReadId(BDictionary? state, string key) =>
        state?.Get<BString>(key) is { Bytes.Length: Id20.Length } id ? new Id20(id.Span) : null;

    public static List<DhtContact> ReadNodes(BDictionary? state, AddressFamily family)
    {
        var nodes = new List<DhtContact>();
        if (state?.Get<BString>(family == AddressFamily.InterNetworkV6 ? "nodes6" : "nodes") is { } compact)
        {
            CompactEndPoints.TryReadNodes(compact.Span, family, nodes, MaxNodes);
        }

        nodes.RemoveAll(n => CompactEndPoints.IsBogus(n.EndPoint));
        return nodes;
    }
}
