using System.Net;
using GodotTorrent.Bencoding;
using GodotTorrent.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// The session's Mainline DHT (BEP 5) as the rest of the engine sees it: one node per address
/// family, each on the UDP socket it shares with uTP and UDP trackers. Safe to call from any
/// thread. Callbacks run on the DHT's own context (a socket's receive loop or its timer; the
/// scheduler in simulation), never on the engine loop: post onward.
/// </summary>
internal interface IDht : IAsyncDisposable
{
    /// <summary>The node id of the IPv4 node (BEP 42 derives it from the external address when known).</summary>
    Id20 NodeId { get; }

    /// <summary>
    /// Puts a node on <paramref name="socket"/>: registers its datagram handler there (the socket
    /// may already be started) and bootstraps it. One socket per address family; attaching a second
    /// of the same family moves the node there (the listen port changed).
    /// </summary>
    void Attach(IDatagramSocket socket);

    /// <summary>Takes the node off <paramref name="socket"/> before the socket is closed.</summary>
    void Detach(IDatagramSocket socket);

    /// <summary>Routers to bootstrap from (queried for nodes, never kept in the routing table); replaces the earlier list.</summary>
    void SetBootstrapNodes(IReadOnlyList<IPEndPoint> routers);

    /// <summary>A node a peer told us about (BEP 5 port message) or one from saved state: pinged, and added when it answers.</summary>
    void AddNode(IPEndPoint endPoint);

    /// <summary>
    /// Looks up peers for <paramref name="infoHash"/> (get_peers) and, when <paramref name="announce"/>
    /// is given, announces to the closest nodes that gave tokens. <paramref name="onPeers"/> gets
    /// each batch as it arrives; <paramref name="onDone"/> is called once at the end (also when
    /// cancelled through the returned handle).
    /// </summary>
    IDisposable GetPeers(Id20 infoHash, DhtAnnounce? announce, Action<IReadOnlyList<IPEndPoint>> onPeers, Action<DhtLookupResult> onDone);

    /// <summary>
    /// BEP 44 get, iterative like get_peers: an immutable item when <paramref name="publicKey"/> is
    /// empty (the value must hash to <paramref name="target"/>), a mutable one otherwise (signature
    /// checked against the key and <paramref name="salt"/>; the highest sequence number wins).
    /// <paramref name="onDone"/> is called once (also when cancelled through the returned handle).
    /// </summary>
    IDisposable GetItem(Id20 target, ReadOnlyMemory<byte> publicKey, ReadOnlyMemory<byte> salt, Action<DhtItemResult> onDone);

    /// <summary>
    /// BEP 44 put: a get lookup of the item's target collects write tokens from the closest nodes,
    /// then the item is put to the 8 closest that gave one. <paramref name="onDone"/> is called once.
    /// </summary>
    IDisposable PutItem(DhtItemToPut item, Action<DhtPutResult> onDone);

    /// <summary>Settings that may change while running (read-only mode, rate limit, alpha, node id enforcement).</summary>
    void Apply(DhtOptions options);

    /// <summary>
    /// Our external address as a tracker or the port mapper saw it (BEP 42 derives the node id
    /// from it; the nodes' own <c>ip</c> fields are counted too).
    /// </summary>
    void ObserveExternalAddress(IPAddress address);

    /// <summary>Counters for session statistics.</summary>
    DhtStatistics Statistics { get; }

    /// <summary>Our node ids and the good nodes of each table, for the "dht" entry of saved session state.</summary>
    BDictionary SaveState();
}
