using System.Net;
using System.Net.Sockets;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht;
using GodotTorrent.Dht.Items;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// BEP 44 items across a DHT of 100 engines on the simulated network: puts read by far nodes,
/// sequence numbers and compare-and-swap, liars whose items are refused, and determinism.
/// </summary>
public sealed class SimulatedDhtItemTests
{
    private static readonly DhtKeyPair Keys = DhtKeyPair.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly DhtKeyPair OtherKeys = DhtKeyPair.FromSeed(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void Items_put_by_one_node_are_read_by_a_far_node()
    {
        using var dht = Started(seed: 51);
        var publisher = dht.Nodes[10];
        byte[] value = "12:Hello World!"u8.ToArray();
        var immutable = Put(dht, publisher, DhtItemToPut.Immutable(value));
        Assert.InRange(immutable.Stored, 6, 8);
        Assert.Null(immutable.Error);
        var far = Far(dht, publisher, immutable.Target);
        var got = Get(dht, far, immutable.Target);
        Assert.Equal(value, got.Value);
        Assert.Null(got.Mutable);

        foreach (string salt in new[] { "", "foobar" })
        {
            byte[] saltBytes = System.Text.Encoding.ASCII.GetBytes(salt);
            var item = DhtMutableItem.Sign(Keys, saltBytes, 1, "d2:ih20:aaaaaaaaaaaaaaaaaaaae"u8);
            var stored = Put(dht, publisher, DhtItemToPut.ForMutable(item));
            Assert.InRange(stored.Stored, 6, 8);
            var read = Get(dht, Far(dht, publisher, item.Target), item.Target, Keys.PublicKey, saltBytes);
            Assert.Equal(1, read.Mutable!.Sequence);
            Assert.Equal(item.Value.ToArray(), read.Value);
            Assert.Equal(saltBytes, read.Mutable.Salt.ToArray());
        }

        // Nothing stored under a target nobody put: the lookup ends with no value.
        var missing = Get(dht, far, NodeIds.Random(new Random(1)));
        Assert.Null(missing.Value);
        Assert.True(missing.NodesReplied >= 8);
        Assert.Empty(dht.Swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_higher_seq_replaces_a_lower_one_is_refused_with_302_and_a_wrong_cas_with_301()
    {
        using var dht = Started(seed: 52);
        var publisher = dht.Nodes[20];
        var other = dht.Nodes[60];
        var salt = "chan"u8.ToArray();
        var first = DhtMutableItem.Sign(Keys, salt, 1, "1:a"u8);
        var target = first.Target;
        Assert.InRange(Put(dht, publisher, DhtItemToPut.ForMutable(first)).Stored, 6, 8);

        var second = DhtMutableItem.Sign(Keys, salt, 2, "1:b"u8);
        Assert.InRange(Put(dht, other, DhtItemToPut.ForMutable(second)).Stored, 6, 8);
        var reader = Far(dht, publisher, target);
        var read = Get(dht, reader, target, Keys.PublicKey, salt);
        Assert.Equal(2, read.Mutable!.Sequence);
        Assert.Equal("1:b"u8.ToArray(), read.Value);

        var stale = Put(dht, publisher, DhtItemToPut.ForMutable(DhtMutableItem.Sign(Keys, salt, 1, "1:c"u8)));
        Assert.Equal(DhtItemError.SequenceLessThanCurrent, stale.Error);
        Assert.Equal(2, Get(dht, reader, target, Keys.PublicKey, salt).Mutable!.Sequence);

        var wrongCas = Put(dht, publisher, DhtItemToPut.ForMutable(DhtMutableItem.Sign(Keys, salt, 3, "1:d"u8), cas: 1));
        Assert.Equal(DhtItemError.CasMismatch, wrongCas.Error);
        Assert.Equal(0, wrongCas.Stored);
        var rightCas = Put(dht, publisher, DhtItemToPut.ForMutable(DhtMutableItem.Sign(Keys, salt, 3, "1:d"u8), cas: 2));
        Assert.InRange(rightCas.Stored, 6, 8);
        Assert.Equal(3, Get(dht, reader, target, Keys.PublicKey, salt).Mutable!.Sequence);
        Assert.Empty(dht.Swarm.Scheduler.Errors);
    }

    [Fact]
    public void Liars_answering_with_a_wrong_value_a_bad_signature_or_another_key_are_ignored()
    {
        using var dht = Started(seed: 53);
        var publisher = dht.Nodes[30];
        byte[] value = "5:right"u8.ToArray();
        var immutableTarget = Put(dht, publisher, DhtItemToPut.Immutable(value)).Target;
        var item = DhtMutableItem.Sign(Keys, [], 5, "5:right"u8);

        // The reader nearest the target has room in its table for the liars' ids next to it.
        var reader = dht.Nodes.Skip(dht.RouterCount).Where(n => n != publisher).MinBy(n => NodeDistance.Between(item.Target, n.Id))!;
        Assert.InRange(Put(dht, publisher, DhtItemToPut.ForMutable(item)).Stored, 6, 8);

        // Each liar sits closer to the targets than any honest node, so it is asked first.
        int lies = 0;
        var liars = new List<SimDatagramTap>();
        foreach (var lie in new Func<Id20, DhtGetReply>[]
        {
            target => target == immutableTarget ? new DhtGetReply("5:wrong"u8.ToArray(), null, null, null) : DhtGetReply.ForMutable(DhtMutableItem.Sign(OtherKeys, [], 9, "5:wrong"u8)),
            _ => DhtGetReply.ForMutable(new DhtMutableItem(item.PublicKey, [], 9, "5:wrong"u8, item.Signature)),
        })
        {
            var liar = new SimDatagramTap(dht.Swarm.Network, new IPEndPoint(dht.Swarm.Network.AddHost().Address, SimDht.Port));
            var liarId = new Id20(item.Target.ToArray().Select((b, i) => i == 19 ? (byte)(b ^ (liars.Count + 1)) : b).ToArray());
            liar.Arrived += d =>
            {
                if (KrpcParser.Parse(d.Data, out _) is { Kind: KrpcKind.Query } query)
                {
                    var values = KrpcBuilder.WithId(liarId);
                    values.Set(KrpcBuilder.TokenKey, new BString(new byte[] { 1 }));
                    if (query.Method == KrpcMethod.Get)
                    {
                        lie(query.Target!.Value).WriteTo(values);
                        lies++;
                    }

                    liar.Send(KrpcBuilder.Response(query.TransactionId, values, d.From), d.From);
                }
            };
            liars.Add(liar);
            reader.Engine.AddNode(liar.EndPoint);
        }

        dht.Swarm.RunFor(TimeSpan.FromSeconds(5));
        Assert.All(liars, l => Assert.Contains(reader.Table.Closest(item.Target, 2, confirmedOnly: false), c => c.EndPoint.Equals(l.EndPoint)));
        var mutable = Get(dht, reader, item.Target, Keys.PublicKey, []);
        Assert.Equal(5, mutable.Mutable!.Sequence);
        Assert.Equal("5:right"u8.ToArray(), mutable.Value);
        int mutableLies = lies;
        Assert.True(mutableLies >= 2, $"{mutableLies} lies told");
        Assert.Equal(value, Get(dht, reader, immutableTarget).Value);
        Assert.Empty(dht.Swarm.Scheduler.Errors);
    }

    [Fact]
    public void The_same_seed_gives_the_same_result()
    {
        Assert.Equal(Scenario(54), Scenario(54));

        static string Scenario(int seed)
        {
            using var dht = Started(seed);
            var item = DhtMutableItem.Sign(Keys, "x"u8, 7, "1:z"u8);
            var put = Put(dht, dht.Nodes[5], DhtItemToPut.ForMutable(item));
            var got = Get(dht, dht.Nodes[90], item.Target, Keys.PublicKey, "x"u8.ToArray());
            return $"{put.Stored} {put.NodesQueried} {got.NodesReplied} {got.Mutable?.Sequence} {dht.Swarm.Clock.Elapsed} {dht.Swarm.Network.DatagramsSent}";
        }
    }

    [Fact]
    public void In_a_network_of_two_the_player_reads_what_the_publisher_put_on_it()
    {
        // A publisher and one player that knows only it (a LAN, a first try): the publisher's put can
        // only reach the player, and the player's get can only ask the publisher.
        using var dht = new SimDht(seed: 54, routers: 1);
        dht.Add(2);
        var publisher = dht.Nodes[0];
        var player = dht.Nodes[1];
        Assert.True(dht.Swarm.RunUntil(() => publisher.Table.Count >= 1, TimeSpan.FromMinutes(2)), "the publisher knows the player");
        var salt = "channel"u8.ToArray();
        var item = DhtMutableItem.Sign(Keys, salt, 7, "1:x"u8);
        Assert.Equal(1, Put(dht, publisher, DhtItemToPut.ForMutable(item)).Stored);
        byte[] value = "4:pack"u8.ToArray();
        var immutable = Put(dht, publisher, DhtItemToPut.Immutable(value));
        Assert.Equal(1, immutable.Stored);

        var got = Get(dht, player, item.Target, Keys.PublicKey, salt);
        Assert.Equal(7, got.Mutable!.Sequence);
        Assert.Equal("1:x"u8.ToArray(), got.Value);
        Assert.Equal(value, Get(dht, player, immutable.Target).Value);
        Assert.Empty(dht.Swarm.Scheduler.Errors);
    }

    private static SimDht Started(int seed)
    {
        var dht = new SimDht(seed);
        dht.Add(100);
        Assert.True(dht.Swarm.RunUntil(() => dht.Nodes.All(n => n.Table.Count >= 8), TimeSpan.FromMinutes(5)), "bootstrapped");
        dht.Swarm.RunFor(TimeSpan.FromSeconds(30));
        return dht;
    }

    private static SimDhtNode Far(SimDht dht, SimDhtNode from, Id20 target) =>
        dht.Nodes.Skip(dht.RouterCount).Where(n => n != from).MaxBy(n => NodeDistance.Between(target, n.Id))!;

    private static DhtPutResult Put(SimDht dht, SimDhtNode from, DhtItemToPut item)
    {
        DhtPutResult? result = null;
        from.Engine.PutItem(item, r => result = r);
        Assert.True(dht.Swarm.RunUntil(() => result is not null, TimeSpan.FromMinutes(3)), "the put ended");
        Assert.False(result!.Cancelled);
        return result;
    }

    private static DhtItemResult Get(SimDht dht, SimDhtNode from, Id20 target, ReadOnlySpan<byte> publicKey = default, byte[]? salt = null)
    {
        DhtItemResult? result = null;
        from.Engine.GetItem(target, publicKey.ToArray(), salt ?? [], r => result = r);
        Assert.True(dht.Swarm.RunUntil(() => result is not null, TimeSpan.FromMinutes(3)), "the get ended");
        Assert.False(result!.Cancelled);
        return result;
    }
}
