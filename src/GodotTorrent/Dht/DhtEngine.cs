using System.Net;
using System.Net.Sockets;
using GodotTorrent.Alerts;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht.Items;
using GodotTorrent.Net;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Dht;

/// <summary>
/// The Mainline DHT (BEP 5, 32, 42, 43, 44, 51): a <see cref="DhtNode"/> per attached socket, the
/// peer and item stores, write tokens and rate limits they share. Sockets' receive loops, its one timer and
/// callers on any thread all come through one lock; callbacks and alerts decided under it are
/// delivered after it is released.
/// </summary>
internal sealed class DhtEngine : IDht
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ExpireEvery = TimeSpan.FromMinutes(1);

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly Action<Alert> _post;
    private readonly bool _inline;
    private readonly ILogger _logger;
    private readonly ExternalAddressVotes _votes = new();
    private readonly DhtTraffic _traffic;
    private readonly List<DhtContact> _saved4;
    private readonly List<DhtContact> _saved6;
    private List<Action> _deferred = [];
    private DhtNode? _v4;
    private DhtNode? _v6;
    private Id20 _id4;
    private Id20 _id6;
    private ITimer? _timer;
    private DateTimeOffset _expiredAt;
    private bool _bootstrapped;
    private bool _disposed;

    public DhtEngine(TimeProvider time, Random random, ILoggerFactory loggers, Action<Alert> post, DhtOptions options, BDictionary? savedState, bool completesInline)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _time = time;
        Random = random;
        _post = post;
        Options = options;
        _inline = completesInline;
        _logger = loggers.CreateLogger<DhtEngine>();
        var now = time.GetUtcNow();
        Tokens = new TokenKeeper(random, now);
        Store = new PeerStore(random);
        Items = new DhtItemStore(time);
        _traffic = new DhtTraffic(time, options.UploadRateLimit, Post);
        _expiredAt = now;
        _id4 = DhtStateCodec.ReadId(savedState, "id") ?? NodeIds.Random(random);
        _id6 = DhtStateCodec.ReadId(savedState, "id6") ?? NodeIds.Random(random);
        _saved4 = DhtStateCodec.ReadNodes(savedState, AddressFamily.InterNetwork);
        _saved6 = DhtStateCodec.ReadNodes(savedState, AddressFamily.InterNetworkV6);
    }

    public Id20 NodeId
    {
        get
        {
            lock (_gate)
            {
                return _v4?.Id ?? _id4;
            }
        }
    }

    /// <summary>The IPv6 node's id.</summary>
    public Id20 NodeId6
    {
        get
        {
            lock (_gate)
            {
                return _v6?.Id ?? _id6;
            }
        }
    }

    public DhtStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new DhtStatistics(
                    _v4?.Table.Count ?? 0,
                    _v6?.Table.Count ?? 0,
                    (_v4?.LookupCount ?? 0) + (_v6?.LookupCount ?? 0),
                    _traffic.LookupsStarted,
                    _traffic.QueriesReceived,
                    _traffic.QueriesSent,
                    _traffic.BytesReceived,
                    _traffic.BytesSent,
                    _traffic.Dropped,
                    Store.InfoHashes);
            }
        }
    }

    internal Random Random { get; }

    internal DhtOptions Options { get; private set; }

    internal DhtTraffic Traffic => _traffic;

    internal TokenKeeper Tokens { get; }

    internal PeerStore Store { get; }

    /// <summary>BEP 44 items stored for others.</summary>
    internal DhtItemStore Items { get; }

    internal IReadOnlyList<IPEndPoint> Routers { get; private set; } = [];

    /// <summary>The node on <paramref name="family"/>'s socket (for tests; callers hold no lock).</summary>
    internal DhtNode? NodeOf(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? _v6 : _v4;

    /// <summary>True with a node on each family's socket (BEP 32 dual stack); under the lock.</summary>
    internal bool DualStack => _v4 is not null && _v6 is not null;

    public void Attach(IDatagramSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        List<Action> work;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetUtcNow();
            var family = socket.LocalEndPoint.AddressFamily;
            var old = NodeOf(family);
            if (old?.Socket == socket)
            {
                return;
            }

            if (old is not null)
            {
                // The listen port moved: the new node starts from the old one's good nodes.
                RememberNodes(old);
                old.Close();
            }

            var node = new DhtNode(this, socket, family == AddressFamily.InterNetworkV6 ? _id6 : _id4, now);
            node.Table.EnforceNodeId = Options.EnforceNodeId;
            if (family == AddressFamily.InterNetworkV6)
            {
                _v6 = node;
            }
            else
            {
                _v4 = node;
            }

            socket.Register(node);
            _timer ??= _time.CreateTimer(static state => ((DhtEngine)state!).Tick(), this, TickInterval, TickInterval);
            node.Bootstrap(now);
            work = TakeDeferred();
        }

        Deliver(work);
    }

    public void Detach(IDatagramSocket socket)
    {
        List<Action> work;
        lock (_gate)
        {
            foreach (var node in (ReadOnlySpan<DhtNode?>)[_v4, _v6])
            {
                if (node?.Socket == socket)
                {
                    RememberNodes(node);
                    node.Close();
                    if (node == _v4)
                    {
                        _v4 = null;
                    }
                    else
                    {
                        _v6 = null;
                    }
                }
            }

            work = TakeDeferred();
        }

        Deliver(work);
    }

    public void SetBootstrapNodes(IReadOnlyList<IPEndPoint> routers)
    {
        List<Action> work;
        lock (_gate)
        {
            Routers = [.. routers];
            var now = _time.GetUtcNow();
            foreach (var node in (ReadOnlySpan<DhtNode?>)[_v4, _v6])
            {
                if (node is { Table.Count: 0 })
                {
                    node.Bootstrap(now);
                }
            }

            work = TakeDeferred();
        }

        Deliver(work);
    }

    public void AddNode(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        lock (_gate)
        {
            if (CompactEndPoints.IsBogus(endPoint))
            {
                return;
            }

            if (NodeOf(endPoint.AddressFamily) is { } node)
            {
                node.PingIfUnknown(endPoint, _time.GetUtcNow());
            }
            else
            {
                // Kept until a socket of its family is attached; its id is learnt when it answers.
                var saved = endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? _saved6 : _saved4;
                if (saved.Count < DhtStateCodec.MaxNodes)
                {
                    saved.Add(new DhtContact(NodeIds.Random(Random), endPoint));
                }
            }
        }
    }

    public IDisposable GetItem(Id20 target, ReadOnlyMemory<byte> publicKey, ReadOnlyMemory<byte> salt, Action<DhtItemResult> onDone)
    {
        var search = new DhtItemSearch(target, publicKey.ToArray(), salt.ToArray());
        lock (_gate)
        {
            // BEP 44: this node's own store answers too. In a network of two (a publisher and one
            // player on a LAN), the only node a get can ask is the one that put the item here.
            if (Items.Get(target) is { } stored)
            {
                search.Offer(stored);
            }
        }

        return StartItemRequest(new DhtItemRequest(this, search, onDone));
    }

    public IDisposable PutItem(DhtItemToPut item, Action<DhtPutResult> onDone)
    {
        ArgumentNullException.ThrowIfNull(item);
        return StartItemRequest(new DhtItemRequest(this, item, onDone));
    }

    public IDisposable GetPeers(Id20 infoHash, DhtAnnounce? announce, Action<IReadOnlyList<IPEndPoint>> onPeers, Action<DhtLookupResult> onDone)
    {
        var request = new DhtGetPeersRequest(this, onPeers, onDone);
        StartOnEachNode(
            (node, now) => new DhtLookup(infoHash, KrpcMethod.GetPeers, now, node.Id) { Announce = announce, OnPeers = onPeers, OnDone = request.LookupDone },
            request.Add,
            request.CompleteEmpty);
        return request;
    }

    // BEP 44: a get lookup on each node; a put's lookup puts to the closest with tokens at its end.
    private DhtItemRequest StartItemRequest(DhtItemRequest request)
    {
        StartOnEachNode(
            (node, now) => new DhtLookup(request.Target, KrpcMethod.Get, now, node.Id) { Search = request.Search, Put = request.Put, OnDone = request.LookupDone },
            request.Add,
            request.CompleteEmpty);
        return request;
    }

    // One lookup per address family's node (BEP 32), started under the lock; callbacks after it.
    private void StartOnEachNode(Func<DhtNode, DateTimeOffset, DhtLookup> create, Action<DhtLookup, DhtNode> add, Action completeEmpty)
    {
        List<Action> work;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var node in (ReadOnlySpan<DhtNode?>)[_v4, _v6])
            {
                if (!_disposed && node is { CanStartLookup: true })
                {
                    var lookup = create(node, now);
                    add(lookup, node);
                    _traffic.LookupsStarted++;
                    node.Start(lookup, now);
                }
            }

            completeEmpty();
            work = TakeDeferred();
        }

        Deliver(work);
    }

    /// <summary>
    /// A find_node lookup of <paramref name="target"/> on the node of <paramref name="family"/>:
    /// its replied candidates are the closest nodes (BEP 44 stores items on them). Null without
    /// that node or with too many lookups running. <paramref name="onDone"/> runs after the lock.
    /// </summary>
    internal DhtLookup? FindNode(Id20 target, AddressFamily family, Action<DhtLookup> onDone)
    {
        DhtLookup? lookup = null;
        List<Action> work;
        lock (_gate)
        {
            if (!_disposed && NodeOf(family) is { CanStartLookup: true } node)
            {
                var now = _time.GetUtcNow();
                lookup = new DhtLookup(target, KrpcMethod.FindNode, now, node.Id) { OnDone = done => Defer(() => onDone(done)) };
                _traffic.LookupsStarted++;
                node.Start(lookup, now);
            }

            work = TakeDeferred();
        }

        Deliver(work);
        return lookup;
    }

    public void Apply(DhtOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_gate)
        {
            Options = options;
            _traffic.UploadRateLimit = options.UploadRateLimit;
            foreach (var node in (ReadOnlySpan<DhtNode?>)[_v4, _v6])
            {
                if (node is not null)
                {
                    node.Table.EnforceNodeId = options.EnforceNodeId;
                }
            }
        }
    }

    public void ObserveExternalAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            ExternalAddressKnown(address);
        }
    }

    public BDictionary SaveState()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var nodes4 = _v4?.Table.GoodNodes(now, DhtStateCodec.MaxNodes) ?? _saved4;
            var nodes6 = _v6?.Table.GoodNodes(now, DhtStateCodec.MaxNodes) ?? _saved6;
            return DhtStateCodec.Save(_v4?.Id ?? _id4, _v6?.Id ?? _id6, nodes4, nodes6);
        }
    }

    public ValueTask DisposeAsync()
    {
        List<Action> work;
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
            _v4?.Close();
            _v6?.Close();
            _v4 = null;
            _v6 = null;
            work = TakeDeferred();
        }

        Deliver(work);
        return ValueTask.CompletedTask;
    }

    /// <summary>A datagram from <paramref name="node"/>'s socket (its receive loop).</summary>
    internal void OnDatagram(DhtNode node, ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        List<Action> work;
        lock (_gate)
        {
            if (_disposed || NodeOf(node.Family) != node)
            {
                return;
            }

            var now = _time.GetUtcNow();
            _traffic.BytesReceived += datagram.Length;
            var message = KrpcParser.Parse(datagram, out var protocolError);
            switch (message?.Kind)
            {
                case KrpcKind.Query:
                    DhtResponder.Serve(this, node, message, from, now);
                    break;
                case KrpcKind.Response:
                    node.OnResponse(message, from, now);
                    break;
                case KrpcKind.Error:
                    node.OnError(message, from, now);
                    break;
                default:
                    _traffic.Dropped++;
                    if (protocolError is not null && !Options.ReadOnly && _traffic.AllowQuery(from.Address))
                    {
                        _traffic.SendReply(node, KrpcBuilder.Error(protocolError, KrpcBuilder.ProtocolError, "Protocol Error"), from);
                    }

                    break;
            }

            work = TakeDeferred();
        }

        Deliver(work);
    }

    internal void Defer(Action action) => _deferred.Add(action);

    internal void Post(Alert alert) => _deferred.Add(() => _post(alert));

    internal void PostGetPeers(Id20 infoHash, IPEndPoint from) => Post(new DhtGetPeersAlert(infoHash.ToString(), from));

    internal void PostAnnounce(Id20 infoHash, IPEndPoint peer) => Post(new DhtAnnounceAlert(infoHash.ToString(), peer));

    internal void CountDrop() => _traffic.Dropped++;

    internal void CountLookup() => _traffic.LookupsStarted++;

    internal IReadOnlyList<DhtContact> SavedContacts(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? _saved6 : _saved4;

    internal void BootstrapFinished(DhtNode node)
    {
        if (!_bootstrapped && node.Table.Count > 0)
        {
            _bootstrapped = true;
            Post(new DhtBootstrapAlert(node.Table.Count));
        }
    }

    internal void VoteExternal(IPAddress address, IPAddress voter)
    {
        if (_votes.Vote(address, voter))
        {
            ExternalAddressKnown(address);
        }
    }

    internal void SendQuery(DhtNode node, byte[] message, IPEndPoint to) => _traffic.SendQuery(node, message, to);

    internal void Cancel(DhtGetPeersRequest request) => Cancel(request.CancelLocked);

    /// <summary>Runs <paramref name="cancelLocked"/> under the lock, then delivers what it decided.</summary>
    internal void Cancel(Action cancelLocked)
    {
        List<Action> work;
        lock (_gate)
        {
            cancelLocked();
            work = TakeDeferred();
        }

        Deliver(work);
    }

    private void Tick()
    {
        List<Action> work;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var now = _time.GetUtcNow();
            Tokens.Tick(now);
            if (now - _expiredAt >= ExpireEvery)
            {
                _expiredAt = now;
                Store.Expire(now);
                Items.RemoveExpired();
            }

            _v4?.Tick(now);
            _v6?.Tick(now);
            work = TakeDeferred();
        }

        Deliver(work);
    }

    // BEP 42: once our external address is known, our id must match it or careful nodes drop us.
    private void ExternalAddressKnown(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var now = _time.GetUtcNow();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (!NodeIdSecurity.IsValid(_v6?.Id ?? _id6, address))
            {
                _id6 = NodeIdSecurity.Generate(address, Random);
                _v6?.ChangeId(_id6, now);
            }
        }
        else if (!NodeIdSecurity.IsValid(_v4?.Id ?? _id4, address))
        {
            _id4 = NodeIdSecurity.Generate(address, Random);
            _v4?.ChangeId(_id4, now);
        }
    }

    private void RememberNodes(DhtNode node)
    {
        var saved = node.Family == AddressFamily.InterNetworkV6 ? _saved6 : _saved4;
        saved.Clear();
        saved.AddRange(node.Table.GoodNodes(_time.GetUtcNow(), DhtStateCodec.MaxNodes));
        if (node.Family == AddressFamily.InterNetworkV6)
        {
            _id6 = node.Id;
        }
        else
        {
            _id4 = node.Id;
        }
    }

    private List<Action> TakeDeferred()
    {
        var work = _deferred;
        _deferred = work.Count == 0 ? work : [];
        return work.Count == 0 ? [] : work;
    }

    // In simulation a callback's exception should reach the scheduler's errors; in production one
    // caller's faulty callback must not stop a socket's receive loop.
    private void Deliver(List<Action> work)
    {
        foreach (var action in work)
        {
            if (_inline)
            {
                action();
                continue;
            }

            try
            {
                action();
            }
#pragma warning disable CA1031 // See above: the receive loop must survive a caller's bug.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.LogWarning(e, "A DHT callback failed");
            }
        }
    }
}
