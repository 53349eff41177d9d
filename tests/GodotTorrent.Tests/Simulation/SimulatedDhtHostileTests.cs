using System.Net;
using System.Net.Sockets;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Bad input at a running DHT node on the simulated network: mutated packets, a liar flooding
/// lookups with fake nodes (and our own id), tokens used from another address, announce floods,
/// and BEP 43 read-only nodes.
/// </summary>
public sealed class SimulatedDhtHostileTests
{
    private static readonly Id20 Stranger = new(Enumerable.Repeat((byte)0x5A, 20).ToArray());

    [Fact]
    public void A_hundred_thousand_mutated_packets_are_counted_drops_and_memory_stays_bounded()
    {
        using var dht = new SimDht(seed: 31);
        dht.Add(30);
        dht.Swarm.RunFor(TimeSpan.FromMinutes(1));
        var victim = dht.Nodes[7];
        var random = new Random(11);
        var samples = Samples(victim.Id).ToArray();
        var before = victim.Engine.Statistics;

        for (int i = 0; i < 100_000; i++)
        {
            var packet = Mutate(samples[random.Next(samples.Length)], random);
            var from = new IPEndPoint(new IPAddress([(byte)random.Next(1, 224), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)]), random.Next(1, 65536));
            dht.Swarm.Network.Inject(from, victim.EndPoint, packet);
            if (i % 500 == 499)
            {
                dht.Swarm.RunFor(TimeSpan.FromMilliseconds(50));
            }
        }

        dht.Swarm.RunFor(TimeSpan.FromSeconds(10));
        Assert.Empty(dht.Swarm.Scheduler.Errors);
        var after = victim.Engine.Statistics;
        Assert.True(after.PacketsDropped - before.PacketsDropped > 10_000, $"{after.PacketsDropped} dropped");
        Assert.True(after.QueriesReceived - before.QueriesReceived > 1_000, "some mutants were still queries");
        var node = victim.Engine.NodeOf(AddressFamily.InterNetwork)!;
        Assert.InRange(node.Table.Known, 1, RoutingTable.MaxBuckets * 2 * RoutingBucket.Size);
        Assert.InRange(node.Transactions.Count, 0, TransactionTable.MaxPending);
        Assert.InRange(after.InfoHashesStored, 0, PeerStore.DefaultMaxInfoHashes);

        // It still works: a lookup from it finds the honest closest nodes.
        var target = NodeIds.Random(random);
        Assert.Equal(dht.TrueClosest(target, 4, except: victim), dht.FindNode(victim, target).Take(4));
    }

    [Fact]
    public void A_liar_answering_with_fake_nodes_and_our_own_id_does_not_stall_or_poison_a_lookup()
    {
        using var dht = new SimDht(seed: 32);
        dht.Add(40);
        dht.Swarm.RunFor(TimeSpan.FromMinutes(1));
        var victim = dht.Nodes[9];
        var target = NodeIds.Random(new Random(4));
        var liarId = NearlyEqual(target, 0x01);
        var liar = new SimDatagramTap(dht.Swarm.Network, new IPEndPoint(dht.Swarm.Network.AddHost().Address, 6881));
        int lies = 0;
        liar.Arrived += d =>
        {
            if (KrpcParser.Parse(d.Data, out _) is { Kind: KrpcKind.Query } query)
            {
                // As many fake nodes as fit in a datagram, all closer to the target than anyone, plus the asker's own id.
                var fakes = new List<DhtContact> { new(victim.Id, new IPEndPoint(IPAddress.Parse("10.200.0.1"), 6881)) };
                for (int i = 0; i < 140; i++)
                {
                    fakes.Add(new DhtContact(NearlyEqual(query.Target ?? target, (byte)(i + 2)), new IPEndPoint(new IPAddress([10, 201, (byte)(i >> 8), (byte)i]), 6881)));
                }

                var values = KrpcBuilder.WithId(liarId);
                values.Set(KrpcBuilder.NodesKey, new BString(CompactEndPoints.Nodes(fakes, AddressFamily.InterNetwork)));
                values.Set(KrpcBuilder.TokenKey, new BString(new byte[] { 1 }));
                liar.Send(KrpcBuilder.Response(query.TransactionId, values, d.From), d.From);
                lies++;
            }
        };
        victim.Engine.AddNode(liar.EndPoint);
        dht.Swarm.RunFor(TimeSpan.FromSeconds(5));
        Assert.NotNull(victim.Table.Find(liar.EndPoint));

        var started = dht.Swarm.Clock.Elapsed;
        DhtLookup? done = null;
        victim.Engine.FindNode(target, AddressFamily.InterNetwork, l => done = l);
        Assert.True(dht.Swarm.RunUntil(() => done is not null, DhtLookup.Timeout + TimeSpan.FromSeconds(5)));
        Assert.True(lies > 0);
        Assert.True(dht.Swarm.Clock.Elapsed - started < TimeSpan.FromSeconds(30), $"ended after {dht.Swarm.Clock.Elapsed - started}");
        Assert.InRange(done!.Candidates.Count, 1, DhtLookup.MaxCandidates);
        Assert.DoesNotContain(done.Candidates, c => c.Contact.Id == victim.Id);
        Assert.True(done.Candidates.Count(c => c.Contact.EndPoint.Address.ToString().StartsWith("10.201.", StringComparison.Ordinal)) <= DhtLookup.MaxNodesPerReply, "one reply's nodes at most");
        var honest = done.Candidates.Where(c => c.State == CandidateState.Replied && c.Contact.Id != liarId).Select(c => c.Contact.Id).Take(4);
        Assert.Equal(dht.TrueClosest(target, 4, except: victim), honest);
        Assert.Null(victim.Table.Find(new IPEndPoint(IPAddress.Parse("10.200.0.1"), 6881)));
        Assert.Empty(dht.Swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_token_is_refused_from_another_address_and_an_announce_flood_from_one_address_is_bounded()
    {
        using var dht = new SimDht(seed: 33);
        dht.Add(5);
        var victim = dht.Nodes[2];
        var asker = new SimDatagramTap(dht.Swarm.Network, new IPEndPoint(dht.Swarm.Network.AddHost().Address, 6881));
        var thief = new SimDatagramTap(dht.Swarm.Network, new IPEndPoint(dht.Swarm.Network.AddHost().Address, 6881));
        var infoHash = NodeIds.Random(new Random(2));

        var ask = KrpcBuilder.WithId(Stranger);
        ask.Set(KrpcBuilder.InfoHashKey, new BString(infoHash.ToArray()));
        asker.Send(KrpcBuilder.Query([1], KrpcMethod.GetPeers, ask, false), victim.EndPoint);
        dht.Swarm.RunFor(TimeSpan.FromSeconds(1));
        var token = asker.Received.Select(d => KrpcParser.Parse(d.Data, out _)).Single(m => m is { Kind: KrpcKind.Response, Token: not null })!.Token!;

        thief.Send(Announce(infoHash, token, 7), victim.EndPoint);
        dht.Swarm.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(KrpcBuilder.ProtocolError, KrpcParser.Parse(Assert.Single(thief.Received).Data, out _)!.ErrorCode);
        Assert.Equal(0, victim.Engine.Statistics.InfoHashesStored);

        asker.Send(Announce(infoHash, token, 8), victim.EndPoint);
        dht.Swarm.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(1, victim.Engine.Statistics.InfoHashesStored);

        // 10,000 announces for different info-hashes in one burst: the per-source limit takes the excess.
        var random = new Random(3);
        for (int i = 0; i < 10_000; i++)
        {
            asker.Send(Announce(NodeIds.Random(random), token, 1000 + i), victim.EndPoint);
        }

        dht.Swarm.RunFor(TimeSpan.FromSeconds(2));
        Assert.InRange(victim.Engine.Statistics.InfoHashesStored, 2, 200);
        Assert.True(victim.Engine.Statistics.PacketsDropped > 9_000);
        Assert.Empty(dht.Swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_read_only_node_looks_up_but_answers_nothing_and_stays_out_of_routing_tables()
    {
        using var dht = new SimDht(seed: 34);
        dht.Add(30);
        dht.Add(1, new DhtOptions(ReadOnly: true, UploadRateLimit: 0));
        var quiet = dht.Nodes[^1];
        dht.Swarm.RunFor(TimeSpan.FromMinutes(2));

        var target = NodeIds.Random(new Random(8));
        Assert.Equal(dht.TrueClosest(target, 4, except: quiet), dht.FindNode(quiet, target).Take(4));
        Assert.All(dht.Nodes.Take(30), n => Assert.Null(n.Table.Find(quiet.EndPoint)));
        Assert.True(quiet.Engine.Statistics.QueriesSent > 0);
        var tap = new SimDatagramTap(dht.Swarm.Network, new IPEndPoint(dht.Swarm.Network.AddHost().Address, 6881));
        tap.Send(KrpcBuilder.Query([1], KrpcMethod.Ping, KrpcBuilder.WithId(Stranger), false), quiet.EndPoint);
        dht.Swarm.RunFor(TimeSpan.FromSeconds(5));
        Assert.Empty(tap.Received);
        Assert.Empty(dht.Swarm.Scheduler.Errors);
    }

    [Fact]
    public void Replies_over_the_upload_limit_are_dropped()
    {
        using var dht = new SimDht(seed: 35);
        dht.Add(1, new DhtOptions(UploadRateLimit: 2000));
        var node = dht.Nodes[0];
        dht.Swarm.RunFor(TimeSpan.FromSeconds(1));
        var taps = Enumerable.Range(0, 50).Select(_ => new SimDatagramTap(dht.Swarm.Network, new IPEndPoint(dht.Swarm.Network.AddHost().Address, 6881))).ToList();
        var before = node.Engine.Statistics;
        var start = dht.Swarm.Clock.Elapsed;

        // 50 sources x 20 find_node a second for 10 seconds, each reply about 60 bytes: 60 KB/s asked of a 2 KB/s limit.
        for (int second = 0; second < 10; second++)
        {
            for (int i = 0; i < 20; i++)
            {
                foreach (var tap in taps)
                {
                    var arguments = KrpcBuilder.WithId(Stranger);
                    arguments.Set(KrpcBuilder.TargetKey, new BString(Stranger.ToArray()));
                    tap.Send(KrpcBuilder.Query([1], KrpcMethod.FindNode, arguments, false), node.EndPoint);
                }

                dht.Swarm.RunFor(TimeSpan.FromMilliseconds(50));
            }
        }

        var after = node.Engine.Statistics;
        double seconds = (dht.Swarm.Clock.Elapsed - start).TotalSeconds;
        long sent = after.BytesSent - before.BytesSent;
        Assert.InRange(sent, 1000, (2000 * seconds) + 2000);
        Assert.True(after.PacketsDropped - before.PacketsDropped > 5_000);
        Assert.Equal(10_000, after.QueriesReceived - before.QueriesReceived);
    }

    private static byte[] Announce(Id20 infoHash, byte[] token, int port)
    {
        var arguments = KrpcBuilder.WithId(Stranger);
        arguments.Set(KrpcBuilder.InfoHashKey, new BString(infoHash.ToArray()));
        arguments.Set(KrpcBuilder.PortKey, new BInteger(port));
        arguments.Set(KrpcBuilder.TokenKey, new BString(token));
        return KrpcBuilder.Query([2], KrpcMethod.AnnouncePeer, arguments, false);
    }

    private static Id20 NearlyEqual(Id20 id, byte last)
    {
        var bytes = id.ToArray();
        bytes[19] ^= last;
        return new Id20(bytes);
    }

    private static IEnumerable<byte[]> Samples(Id20 target)
    {
        var id = new BString(Stranger.ToArray());
        foreach (var method in new[] { KrpcMethod.Ping, KrpcMethod.FindNode, KrpcMethod.GetPeers, KrpcMethod.SampleInfohashes })
        {
            var arguments = KrpcBuilder.WithId(Stranger);
            arguments.Set(method == KrpcMethod.GetPeers ? KrpcBuilder.InfoHashKey : KrpcBuilder.TargetKey, new BString(target.ToArray()));
            yield return KrpcBuilder.Query([1, 2], method, arguments, false);
        }

        yield return Announce(target, new byte[8], 6881);
        var values = KrpcBuilder.WithId(Stranger);
        values.Set(KrpcBuilder.NodesKey, new BString(new byte[26 * 8]));
        values.Set(KrpcBuilder.ValuesKey, new BList([new BString(new byte[6]), new BString(new byte[18])]));
        values.Set(KrpcBuilder.TokenKey, id);
        yield return KrpcBuilder.Response([0, 1], values, new IPEndPoint(IPAddress.Loopback, 1));
        yield return KrpcBuilder.Error([0, 2], 201, "generic");
    }

    private static byte[] Mutate(byte[] sample, Random random)
    {
        var bytes = sample.ToList();
        int edits = random.Next(1, 5);
        for (int e = 0; e < edits && bytes.Count > 2; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] = (byte)"0123456789:deil"[random.Next(15)]; break;
                case 2: bytes.RemoveRange(at, Math.Min(random.Next(1, 20), bytes.Count - at)); break;
                case 3: bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 40)).Select(_ => (byte)random.Next(256))); break;
                default: bytes.InsertRange(at, bytes.GetRange(random.Next(bytes.Count), 1)); break;
            }
        }

        // Mostly keep the dictionary's shape so the DHT, not the socket's first check, sees it.
        if (random.Next(10) > 0 && bytes.Count > 1)
        {
            bytes[0] = (byte)'d';
            bytes[^1] = (byte)'e';
        }

        return [.. bytes];
    }
}
