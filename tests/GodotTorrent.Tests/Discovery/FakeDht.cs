using System.Net;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht;
using GodotTorrent.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Discovery;

/// <summary>
/// Stands in for the DHT node in session tests: records what the session asks of it and answers
/// get_peers for the hashes it is told about (inline, as a node on the simulation's scheduler could).
/// </summary>
internal sealed class FakeDht(DhtFactoryArgs args) : IDht
{
    public DhtFactoryArgs Args { get; } = args;

    public List<IDatagramSocket> Attached { get; } = [];

    public List<IDatagramSocket> Detached { get; } = [];

    public List<IReadOnlyList<IPEndPoint>> Bootstraps { get; } = [];

    public List<IPEndPoint> AddedNodes { get; } = [];

    public List<DhtOptions> Applied { get; } = [];

    public List<Lookup> Lookups { get; } = [];

    /// <summary>The peers handed out per info-hash.</summary>
    public Dictionary<Id20, IReadOnlyList<IPEndPoint>> Swarms { get; } = [];

    public bool Disposed { get; private set; }

    public BDictionary State { get; set; } = new();

    public Id20 NodeId { get; } = new(new byte[20]);

    public DhtStatistics Statistics { get; set; }

    /// <summary>A factory that records every node it makes in <paramref name="made"/>; <paramref name="setUp"/> prepares each.</summary>
    public static Func<DhtFactoryArgs, IDht> Factory(List<FakeDht> made, Action<FakeDht>? setUp = null) => a =>
    {
        var dht = new FakeDht(a);
        setUp?.Invoke(dht);
        made.Add(dht);
        return dht;
    };

    public void Attach(IDatagramSocket socket) => Attached.Add(socket);

    public void Detach(IDatagramSocket socket) => Detached.Add(socket);

    public void SetBootstrapNodes(IReadOnlyList<IPEndPoint> routers) => Bootstraps.Add(routers);

    public void AddNode(IPEndPoint endPoint) => AddedNodes.Add(endPoint);

    /// <summary>The BEP 44 items this node sees; share one table between sessions to make them one DHT.</summary>
    public FakeDhtItemTable Items { get; set; } = new();

    public IDisposable GetItem(Id20 target, ReadOnlyMemory<byte> publicKey, ReadOnlyMemory<byte> salt, Action<DhtItemResult> onDone) =>
        Items.Get(target, publicKey, onDone);

    public IDisposable PutItem(DhtItemToPut item, Action<DhtPutResult> onDone) => Items.Put(item, Args.Time.GetUtcNow(), onDone);

    public IDisposable GetPeers(Id20 infoHash, DhtAnnounce? announce, Action<IReadOnlyList<IPEndPoint>> onPeers, Action<DhtLookupResult> onDone)
    {
        var lookup = new Lookup(infoHash, announce, Args.Time.GetUtcNow());
        Lookups.Add(lookup);
        var peers = Swarms.TryGetValue(infoHash, out var found) ? found : [];
        if (peers.Count > 0)
        {
            onPeers(peers);
        }

        onDone(new DhtLookupResult(peers.Count, 8, 8, announce is null ? 0 : 8, Cancelled: false));
        return lookup;
    }

    public void Apply(DhtOptions options) => Applied.Add(options);

    public void ObserveExternalAddress(IPAddress address)
    {
    }

    public BDictionary SaveState() => State;

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    /// <summary>One get_peers the session started.</summary>
    internal sealed record Lookup(Id20 InfoHash, DhtAnnounce? Announce, DateTimeOffset At) : IDisposable
    {
        public bool Cancelled { get; private set; }

        public void Dispose() => Cancelled = true;
    }
}
