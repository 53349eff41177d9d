using System.Net;
using System.Net.Sockets;
using GodotTorrent.Alerts;
using GodotTorrent.Dht;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// A DHT of <see cref="DhtEngine"/>s on the simulated network, one per host, without sessions:
/// the first few are the bootstrap routers of the rest. Lookups are brute-force checked against
/// <see cref="TrueClosest"/>.
/// </summary>
internal sealed class SimDht : IDisposable
{
    public const int Port = 6881;

    public SimDht(int seed, int routers = 3)
    {
        Swarm = new SimSwarm(seed);
        RouterCount = routers;
    }

    public SimSwarm Swarm { get; }

    public int RouterCount { get; }

    public List<SimDhtNode> Nodes { get; } = [];

    /// <summary>Alerts of every node, with the virtual time and the node's index.</summary>
    public List<string> Trace { get; } = [];

    public IEnumerable<SimDhtNode> Live => Nodes.Where(n => !n.Gone);

    public List<IPEndPoint> Routers => Nodes.Take(RouterCount).Select(n => n.EndPoint).ToList();

    /// <summary>Adds <paramref name="count"/> nodes (the first ones are routers to the others) and attaches them at once.</summary>
    public void Add(int count, DhtOptions? options = null)
    {
        for (int i = 0; i < count; i++)
        {
            var host = Swarm.Network.AddHost();
            var socket = host.Bind(new IPEndPoint(IPAddress.Any, Port));
            socket.Start();
            int index = Nodes.Count;
            SimDhtNode? node = null;
            var engine = new DhtEngine(
                Swarm.Clock,
                new Random(Swarm.Network.Random.Next()),
                NullLoggerFactory.Instance,
                alert => Record(node!, alert),
                options ?? new DhtOptions(UploadRateLimit: 0),
                null,
                completesInline: true);
            node = new SimDhtNode(index, host, socket, engine);
            Nodes.Add(node);
            if (index >= RouterCount)
            {
                engine.SetBootstrapNodes(Routers);
            }
            else
            {
                // Routers know each other, so none of them is alone.
                engine.SetBootstrapNodes(Routers.Where(r => !r.Equals(node.EndPoint)).ToList());
            }

            engine.Attach(socket);
        }
    }

    /// <summary>The ids of the <paramref name="k"/> live nodes closest to <paramref name="target"/>, by brute force.</summary>
    public List<Id20> TrueClosest(Id20 target, int k = 8, SimDhtNode? except = null) =>
        Live.Where(n => n != except).Select(n => n.Id).OrderBy(id => NodeDistance.Between(target, id)).Take(k).ToList();

    /// <summary>Runs a find_node lookup from <paramref name="from"/> to its end; the ids of the 8 closest that answered.</summary>
    public List<Id20> FindNode(SimDhtNode from, Id20 target, TimeSpan? timeout = null)
    {
        DhtLookup? done = null;
        // No Assert here: the bench builds the simulation files too.
        if (from.Engine.FindNode(target, AddressFamily.InterNetwork, l => done = l) is null || !Swarm.RunUntil(() => done is not null, timeout ?? TimeSpan.FromMinutes(2)))
        {
            throw new InvalidOperationException("the lookup did not start or did not end");
        }

        return done!.Candidates.Where(c => c.State == CandidateState.Replied && !c.IsRouter).Take(8).Select(c => c.Contact.Id).ToList();
    }

    /// <summary>Runs a get_peers (and announce) from <paramref name="from"/> to its end.</summary>
    public (List<IPEndPoint> Peers, DhtLookupResult Result) GetPeers(SimDhtNode from, Id20 infoHash, DhtAnnounce? announce = null)
    {
        var peers = new List<IPEndPoint>();
        DhtLookupResult? result = null;
        from.Engine.GetPeers(infoHash, announce, peers.AddRange, r => result = r);
        if (!Swarm.RunUntil(() => result is not null, TimeSpan.FromMinutes(3)))
        {
            throw new InvalidOperationException("the get_peers did not end");
        }

        return (peers, result!);
    }

    /// <summary>Takes a node off the network: its engine stops and its socket closes.</summary>
    public void Leave(SimDhtNode node)
    {
        node.Gone = true;
        node.Engine.Detach(node.Socket);
        Swarm.Run(node.Engine.DisposeAsync().AsTask());
        Swarm.Run(node.Socket.DisposeAsync().AsTask());
    }

    public void Dispose()
    {
        foreach (var node in Nodes.Where(n => !n.Gone))
        {
            node.Engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        Swarm.Dispose();
    }

    private void Record(SimDhtNode node, Alert alert)
    {
        node.Alerts.Add(alert);
        Trace.Add($"{Swarm.Clock.Elapsed.TotalMilliseconds} {node.Index} {alert.TypeName} {alert.Message}");
    }
}
