using System.Net;
using GodotTorrent.Dht;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Dht;

/// <summary>The BEP 5 routing table: splits around our id, node states, replacements, bounds, refusals.</summary>
public sealed class RoutingTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Id20 Own = new(new byte[20]);

    [Fact]
    public void Our_id_impossible_addresses_and_a_second_id_on_one_endpoint_are_refused()
    {
        var table = new RoutingTable(Own, Now);
        table.Heard(Own, EndPoint(1), replied: true, Now);
        table.Heard(Id(0x80, 1), new IPEndPoint(IPAddress.Any, 6881), replied: true, Now);
        table.Heard(Id(0x80, 2), new IPEndPoint(IPAddress.Parse("224.0.0.1"), 6881), replied: true, Now);
        table.Heard(Id(0x80, 3), new IPEndPoint(IPAddress.Parse("1.2.3.4"), 0), replied: true, Now);
        Assert.Equal(0, table.Count);

        table.Heard(Id(0x80, 4), EndPoint(4), replied: true, Now);
        table.Heard(Id(0x80, 5), EndPoint(4), replied: true, Now);
        Assert.Equal(1, table.Count);
        Assert.Equal(Id(0x80, 4), table.Find(EndPoint(4))!.Id);
    }

    [Fact]
    public void The_bucket_holding_our_id_splits_and_a_full_far_bucket_keeps_replacements()
    {
        var table = new RoutingTable(Own, Now);
        for (int i = 0; i < 8; i++)
        {
            table.Heard(Id(0x80, i), EndPoint(i), replied: true, Now);
        }

        Assert.Single(table.Buckets);
        table.Heard(Id(0x01, 100), EndPoint(100), replied: true, Now);
        Assert.Equal(2, table.Buckets.Count);
        Assert.Equal(8, table.Buckets[0].Nodes.Count);
        Assert.Equal(9, table.Count);

        // Bucket 0 (ids starting with a 1 bit) is full of good nodes and cannot split: newcomers wait.
        Assert.Null(table.Heard(Id(0xC0, 50), EndPoint(50), replied: true, Now));
        Assert.Equal(9, table.Count);
        Assert.Single(table.Buckets[0].Replacements);

        // A node that fails twice is bad and the replacement takes its slot.
        table.Failed(EndPoint(3));
        Assert.NotNull(table.Find(EndPoint(3)));
        table.Failed(EndPoint(3));
        Assert.Null(table.Find(EndPoint(3)));
        Assert.Contains(table.Buckets[0].Nodes, n => n.EndPoint.Equals(EndPoint(50)));
        Assert.Equal(9, table.Count);
    }

    [Fact]
    public void A_newcomer_to_a_full_bucket_asks_for_the_stalest_questionable_node_to_be_pinged()
    {
        var table = new RoutingTable(Own, Now);
        table.Heard(Id(0x01, 99), EndPoint(99), replied: true, Now);
        for (int i = 0; i < 8; i++)
        {
            table.Heard(Id(0x80, i), EndPoint(i), replied: true, Now.AddSeconds(i));
        }

        var later = Now + RoutingNode.GoodFor + TimeSpan.FromMinutes(1);
        Assert.False(table.Find(EndPoint(0))!.IsGood(later));
        var stale = table.Heard(Id(0x90, 60), EndPoint(60), replied: false, later);
        Assert.Equal(EndPoint(0), stale!.EndPoint);

        // Pinged once a minute at most.
        Assert.NotEqual(EndPoint(0), table.Heard(Id(0x90, 61), EndPoint(61), replied: false, later)?.EndPoint);
    }

    [Fact]
    public void Ten_thousand_nodes_stay_within_bounds_and_the_closest_are_the_closest()
    {
        var random = new Random(4);
        var own = NodeIds.Random(random);
        var table = new RoutingTable(own, Now);
        for (int i = 0; i < 10_000; i++)
        {
            table.Heard(NodeIds.Random(random), new IPEndPoint(new IPAddress([1, (byte)(i >> 16), (byte)(i >> 8), (byte)i]), 6881), replied: true, Now);
        }

        Assert.InRange(table.Count, 8 * 8, RoutingTable.MaxBuckets * RoutingBucket.Size);
        Assert.InRange(table.Known, table.Count, RoutingTable.MaxBuckets * 2 * RoutingBucket.Size);
        var target = NodeIds.Random(random);
        var everyone = table.Buckets.SelectMany(b => b.Nodes).Select(n => n.Id).OrderBy(id => NodeDistance.Between(target, id)).Take(8);
        Assert.Equal(everyone, table.Closest(target, 8, confirmedOnly: false).Select(c => c.Id));

        // Far buckets (half, a quarter... of 10,000 nodes) are full; only the deepest ones, with few
        // nodes that close to us, have room.
        Assert.All(table.Buckets.Take(8), b => Assert.Equal(RoutingBucket.Size, b.Nodes.Count));
        Assert.All(table.Buckets.Take(8), b => Assert.Equal(RoutingBucket.Size, b.Replacements.Count));
    }

    [Fact]
    public void BEP_42_enforcement_keeps_only_ids_that_match_their_address()
    {
        var table = new RoutingTable(Own, Now) { EnforceNodeId = true };
        var address = IPAddress.Parse("21.75.31.124");
        table.Heard(Id(0x80, 1), new IPEndPoint(address, 6881), replied: true, Now);
        Assert.Equal(0, table.Count);
        table.Heard(NodeIdSecurity.Generate(address, new Random(1)), new IPEndPoint(address, 6881), replied: true, Now);
        Assert.Equal(1, table.Count);
    }

    private static Id20 Id(byte first, int last)
    {
        var bytes = new byte[20];
        bytes[0] = first;
        bytes[18] = (byte)(last >> 8);
        bytes[19] = (byte)last;
        return new Id20(bytes);
    }

    private static IPEndPoint EndPoint(int n) => new(new IPAddress([1, 1, (byte)(n >> 8), (byte)n]), 6881);
}
