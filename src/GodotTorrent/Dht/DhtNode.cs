using System.Net;
using System.Net.Sockets;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht.Items;
using GodotTorrent.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// The DHT on one socket (one address family, BEP 32): its routing table, our outstanding
/// queries and the lookups running there. Every method runs under the engine's lock.
/// </summary>
internal sealed class DhtNode : IDatagramHandler
{
    public const int MaxLookups = 64;

    // A table this full no longer pings the other family's hints (BEP 32 want).
    private const int HintedWhileBelow = 4 * DhtLookup.K;

    private static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan BootstrapRetry = TimeSpan.FromSeconds(30);

    private readonly DhtEngine _engine;
    private readonly List<DhtLookup> _lookups = [];
    private DateTimeOffset _bootstrapAt = DateTimeOffset.MinValue;
    private DhtLookup? _bootstrap;

    public DhtNode(DhtEngine engine, IDatagramSocket socket, Id20 id, DateTimeOffset now)
    {
        _engine = engine;
        Socket = socket;
        Family = socket.LocalEndPoint.AddressFamily;
        Table = new RoutingTable(id, now);
        Transactions = new TransactionTable(engine.Random);
    }

    public IDatagramSocket Socket { get; }

    public AddressFamily Family { get; }

    public RoutingTable Table { get; private set; }

    public TransactionTable Transactions { get; }

    public Id20 Id => Table.Own;

    public int LookupCount => _lookups.Count;

    public bool Claims(ReadOnlySpan<byte> datagram, IPEndPoint from) => DatagramShape.IsBencodedDictionary(datagram);

    public void Receive(ReadOnlySpan<byte> datagram, IPEndPoint from) => _engine.OnDatagram(this, datagram, from);

    /// <summary>Moves the table to a new id (BEP 42 after our external address became known): the nodes are sorted again.</summary>
    public void ChangeId(Id20 id, DateTimeOffset now)
    {
        var old = Table;
        Table = new RoutingTable(id, now) { EnforceNodeId = old.EnforceNodeId };
        foreach (var bucket in old.Buckets)
        {
            foreach (var node in bucket.Nodes)
            {
                Table.Heard(node.Id, node.EndPoint, node.LastReply is not null, now);
            }
        }
    }

    public bool CanStartLookup => _lookups.Count < MaxLookups;

    /// <summary>Starts a lookup from the table's closest nodes (and the routers and saved nodes while the table is thin).</summary>
    public void Start(DhtLookup lookup, DateTimeOffset now)
    {
        _lookups.Add(lookup);
        foreach (var contact in Table.Closest(lookup.Target, DhtLookup.K * 2, confirmedOnly: false))
        {
            lookup.Add(contact);
        }

        if (Table.Count < DhtLookup.K)
        {
            foreach (var contact in _engine.SavedContacts(Family))
            {
                lookup.Add(contact);
            }

            foreach (var router in _engine.Routers)
            {
                if (router.AddressFamily == Family)
                {
                    lookup.Add(new DhtContact(default, router), isRouter: true);
                }
            }
        }

        Step(lookup, now);
    }

    public void Bootstrap(DateTimeOffset now)
    {
        if (_bootstrap is { Finished: false } || !CanStartLookup)
        {
            return;
        }

        _bootstrapAt = now;
        _bootstrap = new DhtLookup(Id, KrpcMethod.FindNode, now, Id) { IsBootstrap = true };
        _engine.CountLookup();
        Start(_bootstrap, now);
    }

    public void Ping(IPEndPoint to, DateTimeOffset now)
    {
        if (Transactions.Start(to, KrpcMethod.Ping, now) is { } query)
        {
            Send(query, KrpcBuilder.WithId(Id));
        }
    }

    public void OnResponse(KrpcMessage message, IPEndPoint from, DateTimeOffset now)
    {
        var query = Transactions.Complete(message.TransactionId, from);
        if (query is null)
        {
            _engine.CountDrop();
            return;
        }

        if (!message.ReadOnly && message.Id is { } id)
        {
            Table.Heard(id, from, replied: true, now);
        }

        if (message.ExternalEndPoint is { } external)
        {
            _engine.VoteExternal(external.Address, from.Address);
        }

        if (query.Lookup is not { } lookup)
        {
            return;
        }

        if (query.IsAnnounce)
        {
            lookup.AnnounceAcknowledged();
            lookup.AnnouncesPending--;
        }
        else if (query.Candidate is { } candidate)
        {
            var nodes = new List<DhtContact>();
            var field = Family == AddressFamily.InterNetworkV6 ? message.Nodes6 : message.Nodes;
            if (field is not null)
            {
                CompactEndPoints.TryReadNodes(field, Family, nodes, max: 256);
            }

            nodes.RemoveAll(n => CompactEndPoints.IsBogus(n.EndPoint) || n.Id == Id);
            if ((Family == AddressFamily.InterNetworkV6 ? message.Nodes : message.Nodes6) is { } otherField
                && _engine.NodeOf(Family == AddressFamily.InterNetworkV6 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6) is { } other)
            {
                other.HearAbout(otherField, now);
            }

            var peers = lookup.Answered(candidate, message, nodes);
            if (peers.Count > 0 && lookup.OnPeers is { } onPeers)
            {
                _engine.Defer(() => onPeers(peers));
            }
        }

        Step(lookup, now);
    }

    /// <summary>
    /// Nodes of this family from a reply on the other family's socket (BEP 32 <c>want</c>): each is
    /// pinged, as a BEP 5 port message's node is, and joins the table if it answers. At most 8 a
    /// reply, and only while the table is thin: a filled table learns from its own lookups.
    /// </summary>
    public void HearAbout(ReadOnlySpan<byte> compactNodes, DateTimeOffset now)
    {
        if (Table.Count >= HintedWhileBelow)
        {
            return;
        }

        var nodes = new List<DhtContact>();
        CompactEndPoints.TryReadNodes(compactNodes, Family, nodes, max: DhtLookup.K);
        foreach (var node in nodes)
        {
            if (node.Id != Id)
            {
                PingIfUnknown(node.EndPoint, now);
            }
        }
    }

    /// <summary>A node we were told of (a port message, BEP 32 hints) is pinged unless bogus or already known; it joins the table if it answers.</summary>
    public void PingIfUnknown(IPEndPoint endPoint, DateTimeOffset now)
    {
        if (!CompactEndPoints.IsBogus(endPoint) && !Table.Contains(endPoint))
        {
            Ping(endPoint, now);
        }
    }

    /// <summary>An error reply: the node is there but did not help; the lookup moves on.</summary>
    public void OnError(KrpcMessage message, IPEndPoint from, DateTimeOffset now)
    {
        if (Transactions.Complete(message.TransactionId, from) is not { Lookup: { } lookup } query)
        {
            return;
        }

        if (query.IsAnnounce)
        {
            lookup.AnnouncesPending--;
            lookup.StoreRefused(message.ErrorCode);
        }
        else if (query.Candidate is { } candidate)
        {
            lookup.Failed(candidate);
        }

        Step(lookup, now);
    }

    public void Tick(DateTimeOffset now)
    {
        var expired = new List<PendingQuery>();
        Transactions.TakeExpired(now, expired);
        foreach (var query in expired)
        {
            Table.Failed(query.To);
            if (query.Lookup is { } lookup)
            {
                if (query.IsAnnounce)
                {
                    lookup.AnnouncesPending--;
                }
                else if (query.Candidate is { } candidate)
                {
                    lookup.Failed(candidate);
                }
            }
        }

        foreach (var lookup in _lookups.ToArray())
        {
            Step(lookup, now);
        }

        // A thin table (all nodes started together, or the routers knew little yet) asks again.
        if (Table.Count < DhtLookup.K && now - _bootstrapAt >= BootstrapRetry)
        {
            Bootstrap(now);
        }

        if (Table.Count > 0)
        {
            if (_bootstrap is { Finished: true })
            {
                // Nodes that queried us count too when the routers gave nothing.
                _engine.BootstrapFinished(this);
            }

            Refresh(now);
        }
    }

    /// <summary>Ends every lookup (the node leaves its socket or the DHT stops).</summary>
    public void Close()
    {
        var dropped = new List<PendingQuery>();
        Transactions.Clear(dropped);
        foreach (var lookup in _lookups.ToArray())
        {
            Finish(lookup, cancelled: true);
        }
    }

    public void Cancel(DhtLookup lookup) => Finish(lookup, cancelled: true);

    // BEP 5: a bucket nobody changed for 15 minutes is refreshed with a lookup of a random id in it.
    private void Refresh(DateTimeOffset now)
    {
        var buckets = Table.Buckets;
        for (int i = 0; i < buckets.Count && CanStartLookup; i++)
        {
            if (now - buckets[i].LastChanged >= RefreshAfter)
            {
                buckets[i].LastChanged = now;
                var target = i == buckets.Count - 1 ? Id : NodeIds.RandomWithPrefix(Id, i, _engine.Random);
                var lookup = new DhtLookup(target, KrpcMethod.FindNode, now, Id);
                _engine.CountLookup();
                Start(lookup, now);
            }
        }
    }

    private void Step(DhtLookup lookup, DateTimeOffset now)
    {
        if (lookup.Finished)
        {
            return;
        }

        bool wasConverged = lookup.Converged;
        var toAsk = new List<LookupCandidate>();
        lookup.Next(_engine.Options.Alpha, now, toAsk);
        foreach (var candidate in toAsk)
        {
            var arguments = KrpcBuilder.WithId(Id);
            arguments.Set(lookup.Method == KrpcMethod.GetPeers ? KrpcBuilder.InfoHashKey : KrpcBuilder.TargetKey, new BString(lookup.Target.ToArray()));
            if (_engine.DualStack)
            {
                // BEP 32: a dual-stack node asks for both families, so each table fills from the other's lookups.
                arguments.Set(KrpcBuilder.WantKey, KrpcBuilder.WantBoth);
            }
            if (Transactions.Start(candidate.Contact.EndPoint, lookup.Method, now, lookup, candidate) is { } query)
            {
                Send(query, arguments);
            }
            else
            {
                lookup.Failed(candidate);
            }
        }

        if (!lookup.Converged)
        {
            return;
        }

        if (!wasConverged && lookup.Stores && now < lookup.Deadline)
        {
            var method = lookup.Put is null ? KrpcMethod.AnnouncePeer : KrpcMethod.Put;
            foreach (var target in lookup.AnnounceTargets())
            {
                var arguments = KrpcBuilder.WithId(Id);
                WriteStore(lookup, target.Token!, arguments);
                if (Transactions.Start(target.Contact.EndPoint, method, now, lookup, announce: true) is { } query)
                {
                    lookup.AnnouncesPending++;
                    Send(query, arguments);
                }
            }
        }

        if (lookup.AnnouncesPending <= 0)
        {
            Finish(lookup, cancelled: false);
        }
    }

    // announce_peer (BEP 5) or put (BEP 44) with the token the node gave.
    private static void WriteStore(DhtLookup lookup, byte[] token, BDictionary arguments)
    {
        if (lookup.Put is { } put)
        {
            var store = put.Mutable is { } item ? DhtPutArguments.ForMutable(token, item, put.Cas) : DhtPutArguments.ForImmutable(token, put.ImmutableValue!);
            store.WriteTo(arguments);
            return;
        }

        var announce = lookup.Announce!;
        arguments.Set(KrpcBuilder.InfoHashKey, new BString(lookup.Target.ToArray()));
        arguments.Set(KrpcBuilder.PortKey, new BInteger(announce.Port));
        arguments.Set(KrpcBuilder.TokenKey, new BString(token));
        if (announce.ImpliedPort)
        {
            arguments.Set(KrpcBuilder.ImpliedPortKey, new BInteger(1));
        }

        if (announce.Seed)
        {
            arguments.Set(KrpcBuilder.SeedKey, new BInteger(1));
        }
    }

    private void Finish(DhtLookup lookup, bool cancelled)
    {
        if (lookup.Finish(cancelled))
        {
            _lookups.Remove(lookup);
            if (lookup.IsBootstrap)
            {
                _engine.BootstrapFinished(this);

                // As libtorrent: every bucket is refreshed once the bootstrap lookup is done, so
                // the far buckets fill now instead of in 15 minutes.
                foreach (var bucket in Table.Buckets)
                {
                    bucket.LastChanged = DateTimeOffset.MinValue;
                }
            }

            lookup.OnDone?.Invoke(lookup);
        }
    }

    private void Send(PendingQuery query, BDictionary arguments) =>
        _engine.SendQuery(this, KrpcBuilder.Query(TransactionTable.Encode(query.TransactionId), query.Method, arguments, _engine.Options.ReadOnly), query.To);
}
