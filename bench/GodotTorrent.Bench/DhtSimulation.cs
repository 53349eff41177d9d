using System.Diagnostics;
using System.Globalization;
using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Dht;
using GodotTorrent.Tests.Simulation;
using GodotTorrent.Wire;

namespace GodotTorrent.Bench;

/// <summary>
/// The DHT on the simulated network (<c>dht-sim [nodes] [seed]</c>): wall and virtual time for
/// every node to bootstrap from 3 routers, the bytes per second a node sends once the network is
/// idle, the virtual time to the first peer of an info-hash announced by a node far away in id
/// space (from a settled node, and from a node that has just started), and the memory of one
/// routing table fed 10,000 nodes.
/// </summary>
internal static class DhtSimulation
{
    public static int Run(string[] args)
    {
        int nodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        int seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 21;

        var wall = Stopwatch.StartNew();
        using var dht = new SimDht(seed);
        dht.Add(nodes);
        bool done = dht.Swarm.RunUntil(() => dht.Nodes.All(n => n.Alerts.OfType<DhtBootstrapAlert>().Any()), TimeSpan.FromMinutes(10));
        var bootstrapped = dht.Swarm.Clock.Elapsed;
        var bootWall = wall.Elapsed;

        // Idle: let the bootstrap refreshes settle, then measure 30 virtual minutes of nothing asked.
        dht.Swarm.RunFor(TimeSpan.FromMinutes(5));
        long before = dht.Nodes.Skip(dht.RouterCount).Sum(n => n.Engine.Statistics.BytesSent);
        dht.Swarm.RunFor(TimeSpan.FromMinutes(30));
        long after = dht.Nodes.Skip(dht.RouterCount).Sum(n => n.Engine.Statistics.BytesSent);
        double idleRate = (after - before) / (double)(nodes - dht.RouterCount) / TimeSpan.FromMinutes(30).TotalSeconds;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dht-sim: {nodes} nodes, seed {seed}: {(done ? "all bootstrapped" : "NOT all bootstrapped")} after {bootstrapped.TotalSeconds:F1} s virtual, {bootWall.TotalSeconds:F1} s wall"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  idle: {idleRate:F1} B/s sent per node (mean over 30 virtual minutes); {dht.Swarm.Network.DatagramsSent} datagrams in all"));

        FirstPeer(dht, seed);

        var random = new Random(seed);
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var table = new RoutingTable(NodeIds.Random(random), DateTimeOffset.UnixEpoch);
        for (int i = 0; i < 10_000; i++)
        {
            table.Heard(NodeIds.Random(random), new IPEndPoint(new IPAddress([1, (byte)(i >> 16), (byte)(i >> 8), (byte)i]), 6881), replied: true, DateTimeOffset.UnixEpoch);
        }

        long memory = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  routing table fed 10,000 nodes: {table.Count} kept + {table.Known - table.Count} replacements in {table.Buckets.Count} buckets, {memory / 1024.0:F1} KiB"));
        GC.KeepAlive(table);
        return done ? 0 : 1;
    }

    // get_peers of an info-hash a far node announced: virtual time from the lookup's start to the
    // first reply naming the announcer, once from the node farthest from it in id space and once
    // from a node that starts now (its first lookup rides on its bootstrap through the routers).
    private static void FirstPeer(SimDht dht, int seed)
    {
        var infoHash = NodeIds.Random(new Random(seed + 1));
        var announcer = dht.Nodes.Skip(dht.RouterCount).MaxBy(n => NodeDistance.Between(infoHash, n.Id))!;
        var (_, announced) = dht.GetPeers(announcer, infoHash, new DhtAnnounce(5000));
        var expected = new IPEndPoint(announcer.Host.Address, 5000);

        var far = dht.Nodes.Skip(dht.RouterCount).MaxBy(n => NodeDistance.Between(announcer.Id, n.Id))!;
        var settled = TimeToPeer(dht, far, infoHash, expected);
        dht.Add(1);
        var fresh = TimeToPeer(dht, dht.Nodes[^1], infoHash, expected);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  first peer (announced to {announced.AnnouncedTo} nodes): {Describe(settled)} from the farthest settled node; {Describe(fresh)} from a node started at the lookup"));
    }

    private static (TimeSpan? First, TimeSpan Ended, long Datagrams) TimeToPeer(SimDht dht, SimDhtNode from, Id20 infoHash, IPEndPoint expected)
    {
        var start = dht.Swarm.Clock.Elapsed;
        long sentBefore = dht.Swarm.Network.DatagramsSent;
        TimeSpan? first = null;
        DhtLookupResult? result = null;
        from.Engine.GetPeers(
            infoHash,
            null,
            peers =>
            {
                if (first is null && peers.Contains(expected))
                {
                    first = dht.Swarm.Clock.Elapsed - start;
                }
            },
            r => result = r);
        dht.Swarm.RunUntil(() => result is not null, TimeSpan.FromMinutes(3));
        return (first, dht.Swarm.Clock.Elapsed - start, dht.Swarm.Network.DatagramsSent - sentBefore);
    }

    private static string Describe((TimeSpan? First, TimeSpan Ended, long Datagrams) run) => string.Create(CultureInfo.InvariantCulture,
        $"{(run.First is { } first ? $"{first.TotalMilliseconds:F0} ms" : "NOT found")} (lookup ended at {run.Ended.TotalMilliseconds:F0} ms, {run.Datagrams} datagrams on the network meanwhile)");
}
