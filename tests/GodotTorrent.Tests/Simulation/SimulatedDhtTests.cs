using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Dht;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// The Mainline DHT (BEP 5) at scale on the simulated network and virtual clock: 500 engines
/// bootstrap from 3 routers, lookups find the true 8 closest nodes (brute force), announce and
/// get_peers meet, churn is survived, and a seed gives one run.
/// </summary>
public sealed class SimulatedDhtTests
{
    [Fact]
    public void Five_hundred_nodes_bootstrap_from_three_and_every_lookup_finds_the_8_closest_live_nodes()
    {
        using var dht = new SimDht(seed: 21);
        dht.Add(500);
        bool bootstrapped = dht.Swarm.RunUntil(() => dht.Nodes.All(n => n.Alerts.OfType<DhtBootstrapAlert>().Any()), TimeSpan.FromMinutes(5));
        Assert.True(bootstrapped, $"not bootstrapped: {string.Join(' ', dht.Nodes.Where(n => n.Alerts.Count == 0).Select(n => $"{n.Index}:{n.Table.Count}"))} at {dht.Swarm.Clock.Elapsed}");
        Assert.All(dht.Nodes, n => Assert.True(n.Table.Count >= 8, $"node {n.Index} knows {n.Table.Count} nodes"));

        var random = new Random(5);
        for (int i = 0; i < 20; i++)
        {
            var from = dht.Nodes[random.Next(dht.Nodes.Count)];
            var target = NodeIds.Random(random);
            Assert.Equal(dht.TrueClosest(target, except: from), dht.FindNode(from, target));
        }

        Assert.Empty(dht.Swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_node_far_away_in_id_space_finds_the_announcer_and_lookups_survive_a_fifth_of_the_nodes_leaving()
    {
        using var dht = new SimDht(seed: 22);
        dht.Add(300);
        Assert.True(dht.Swarm.RunUntil(() => dht.Nodes.All(n => n.Alerts.OfType<DhtBootstrapAlert>().Any()), TimeSpan.FromMinutes(5)));

        var infoHash = NodeIds.Random(new Random(9));
        var announcer = dht.Nodes[10];
        var (_, announced) = dht.GetPeers(announcer, infoHash, new DhtAnnounce(5000));
        Assert.InRange(announced.AnnouncedTo, 6, 8);

        var far = dht.Nodes.Skip(3).MaxBy(n => NodeDistance.Between(announcer.Id, n.Id))!;
        var (peers, found) = dht.GetPeers(far, infoHash);
        Assert.Contains(new IPEndPoint(announcer.Host.Address, 5000), peers);
        Assert.Equal(peers.Count, found.PeersFound);
        Assert.Contains(far.Alerts, a => a is DhtReplyAlert { PeerCount: > 0 });
        Assert.Contains(dht.Nodes, n => n.Alerts.OfType<DhtAnnounceAlert>().Any(a => a.InfoHash == infoHash.ToString()));

        // A fifth of the nodes (not the routers, not the searcher) leave without a word.
        var random = new Random(3);
        foreach (var leaving in dht.Nodes.Skip(3).Where(n => n != far).OrderBy(_ => random.Next()).Take(60).ToList())
        {
            dht.Leave(leaving);
        }

        // At once: the announcer is still found, and lookups end with most of the true closest
        // (dead nodes still fill others' replies until their tables notice).
        Assert.Contains(new IPEndPoint(announcer.Host.Address, 5000), dht.GetPeers(far, infoHash).Peers);
        var missed = new List<int>();
        for (int i = 0; i < 10; i++)
        {
            var target = NodeIds.Random(random);
            missed.Add(dht.TrueClosest(target, except: far).Except(dht.FindNode(far, target)).Count());
        }

        Assert.True(missed.Sum() <= 5, $"missed {string.Join(',', missed)}");

        // Once buckets are refreshed (15 minutes), the 4 closest are always found and at most one
        // of the 8 is missed: a replier from another subtree returns its own neighbours, never the
        // 8th closest when that one sits in a third (Kademlia's limit, not a dead node).
        dht.Swarm.RunFor(TimeSpan.FromMinutes(16));
        for (int i = 0; i < 10; i++)
        {
            var target = NodeIds.Random(random);
            var truth = dht.TrueClosest(target, except: far);
            var closest = dht.FindNode(far, target);
            Assert.Equal(truth.Take(4), closest.Take(4));
            Assert.True(truth.Except(closest).Count() <= 1);
        }

        Assert.Empty(dht.Swarm.Scheduler.Errors);
    }

    [Fact]
    public void Saved_state_keeps_the_node_id_and_bootstraps_without_routers()
    {
        using var dht = new SimDht(seed: 24);
        dht.Add(40);
        dht.Swarm.RunFor(TimeSpan.FromMinutes(2));
        var old = dht.Nodes[20];
        var state = old.Engine.SaveState();
        var saved = DhtStateCodec.ReadNodes(state, System.Net.Sockets.AddressFamily.InterNetwork);
        Assert.InRange(saved.Count, 8, DhtStateCodec.MaxNodes);
        dht.Leave(old);

        // The same node comes back on a new host with no bootstrap routers at all.
        var host = dht.Swarm.Network.AddHost();
        var socket = host.Bind(new IPEndPoint(IPAddress.Any, SimDht.Port));
        socket.Start();
        var alerts = new List<Alert>();
        var engine = new DhtEngine(dht.Swarm.Clock, new Random(1), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, alerts.Add, new DhtOptions(UploadRateLimit: 0), state, completesInline: true);
        engine.Attach(socket);
        Assert.Equal(old.Id, engine.NodeId);
        Assert.True(dht.Swarm.RunUntil(() => alerts.OfType<DhtBootstrapAlert>().Any(), TimeSpan.FromMinutes(1)));
        Assert.True(engine.Statistics.Nodes >= 8);
        dht.Swarm.Run(engine.DisposeAsync().AsTask());
    }

    [Fact]
    public void Attaching_a_new_socket_of_the_family_moves_the_node_with_its_id_and_nodes()
    {
        using var dht = new SimDht(seed: 25);
        dht.Add(30);
        dht.Swarm.RunFor(TimeSpan.FromMinutes(2));
        var node = dht.Nodes[12];
        var id = node.Id;
        var moved = node.Host.Bind(new IPEndPoint(IPAddress.Any, 7000));
        moved.Start();

        // No routers this time: only the nodes the old socket knew can bring it back.
        node.Engine.SetBootstrapNodes([]);
        node.Engine.Attach(moved);
        Assert.Equal(id, node.Engine.NodeId);
        Assert.True(dht.Swarm.RunUntil(() => node.Engine.Statistics.Nodes >= 8, TimeSpan.FromMinutes(1)));

        // Others keep its old endpoint while that still looks good (one id, one endpoint), but its own lookups work.
        var target = NodeIds.Random(new Random(6));
        Assert.Equal(dht.TrueClosest(target, 4, except: node), dht.FindNode(node, target).Take(4));
        Assert.Empty(dht.Swarm.Scheduler.Errors);
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        Assert.Equal(Run(), Run());

        static List<string> Run()
        {
            using var dht = new SimDht(seed: 23);
            dht.Add(60);
            dht.Swarm.RunFor(TimeSpan.FromSeconds(30));
            var random = new Random(1);
            for (int i = 0; i < 5; i++)
            {
                var found = dht.FindNode(dht.Nodes[random.Next(dht.Nodes.Count)], NodeIds.Random(random));
                dht.Trace.Add($"{dht.Swarm.Clock.Elapsed.TotalMilliseconds} lookup {string.Join(',', found)}");
            }

            dht.Trace.Add($"sent {dht.Swarm.Network.DatagramsSent}");
            Assert.Empty(dht.Swarm.Scheduler.Errors);
            return dht.Trace;
        }
    }
}
