using System.Diagnostics;
using System.Globalization;
using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Dht;
using GodotTorrent.Tests.Simulation;

namespace GodotTorrent.Bench;

/// <summary>
/// The DHT on the simulated network (<c>dht-sim [nodes] [seed]</c>): wall and virtual time for
/// every node to bootstrap from 3 routers, the bytes per second a node sends once the network is
/// idle, and the memory of one routing table fed 10,000 nodes.
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
}
