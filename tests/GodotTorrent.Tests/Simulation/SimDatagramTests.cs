using System.Net;
using System.Net.Sockets;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Simulation;

/// <summary>UDP on the simulated network: latency, shared lines, loss, duplication, jitter, queues, partitions, taps.</summary>
public sealed class SimDatagramTests
{
    private static readonly IPEndPoint AnyPort = new(IPAddress.Any, 0);

    [Fact]
    public void A_datagram_arrives_one_latency_later_as_a_copy_of_what_was_sent()
    {
        using var swarm = new SimSwarm(1);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(50), 0);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var socket = a.Bind(AnyPort);
        var tap = new SimDatagramTap(swarm.Network, new IPEndPoint(b.Address, 0));

        var data = new byte[] { 1, 2, 3 };
        Assert.True(socket.Send(data, tap.EndPoint));
        data[0] = 9;
        swarm.RunFor(TimeSpan.FromMilliseconds(49));
        Assert.Empty(tap.Received);
        swarm.RunFor(TimeSpan.FromMilliseconds(1));

        var received = Assert.Single(tap.Received);
        Assert.Equal(TimeSpan.FromMilliseconds(50), received.At);
        Assert.Equal(new IPEndPoint(a.Address, 6881), received.From);
        Assert.Equal(new byte[] { 1, 2, 3 }, received.Data);
        Assert.Equal((1, 1, 0), (swarm.Network.DatagramsSent, swarm.Network.DatagramsDelivered, swarm.Network.DatagramsLost));
    }

    [Fact]
    public void Datagrams_leave_one_after_another_at_the_uplink_rate_and_queue_on_the_downlink()
    {
        using var swarm = new SimSwarm(1);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(10), 0) { QueueLimit = TimeSpan.Zero };
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var c = swarm.Network.AddHost();
        a.UplinkBytesPerSecond = 1000;
        var fromA = a.Bind(AnyPort);
        var fromB = b.Bind(AnyPort);
        var tap = new SimDatagramTap(swarm.Network, new IPEndPoint(c.Address, 0));

        // Ten datagrams of 100 bytes at 1,000 B/s: one every 100 ms, the last 1 s after the first left.
        for (int i = 0; i < 10; i++)
        {
            fromA.Send(new byte[100], tap.EndPoint);
        }

        swarm.RunFor(TimeSpan.FromSeconds(2));
        Assert.Equal(Enumerable.Range(1, 10).Select(k => TimeSpan.FromMilliseconds(10 + (100 * k))), tap.Received.Select(r => r.At));

        // Two senders at once into a 1,000 B/s downlink: the second waits for the first.
        tap.Received.Clear();
        c.DownlinkBytesPerSecond = 1000;
        var start = swarm.Clock.Elapsed;
        a.UplinkBytesPerSecond = 0;
        fromA.Send(new byte[500], tap.EndPoint);
        fromB.Send(new byte[500], tap.EndPoint);
        swarm.RunFor(TimeSpan.FromSeconds(2));
        Assert.Equal([TimeSpan.FromMilliseconds(510), TimeSpan.FromMilliseconds(1010)], tap.Received.Select(r => r.At - start));
    }

    [Fact]
    public void The_link_rate_holds_up_one_flow_only()
    {
        using var swarm = new SimSwarm(1);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.Zero, 1000) { QueueLimit = TimeSpan.Zero };
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var socket = a.Bind(AnyPort);
        var first = new SimDatagramTap(swarm.Network, new IPEndPoint(b.Address, 0));
        var second = new SimDatagramTap(swarm.Network, new IPEndPoint(b.Address, 0));

        socket.Send(new byte[100], first.EndPoint);
        socket.Send(new byte[100], first.EndPoint);
        socket.Send(new byte[100], second.EndPoint);
        swarm.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], first.Received.Select(r => r.At));
        Assert.Equal([TimeSpan.FromMilliseconds(100)], second.Received.Select(r => r.At));
    }

    [Fact]
    public void A_stream_and_datagrams_share_the_uplink_so_datagrams_queue_behind_it()
    {
        using var swarm = new SimSwarm(1);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(10), 0);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var listener = b.Listen(AnyPort);
        var accept = listener.AcceptAsync(CancellationToken.None).AsTask();
        var stream = swarm.Run(a.ConnectAsync(listener.LocalEndPoint, CancellationToken.None).AsTask());
        swarm.Run(accept);
        a.UplinkBytesPerSecond = 1000;
        var socket = a.Bind(AnyPort);
        var tap = new SimDatagramTap(swarm.Network, new IPEndPoint(b.Address, 0));
        var start = swarm.Clock.Elapsed;

        var sent = stream.SendAsync(new byte[400], CancellationToken.None).AsTask();
        socket.Send(new byte[100], tap.EndPoint);
        swarm.RunFor(TimeSpan.FromSeconds(1));
        Assert.True(sent.IsCompletedSuccessfully);
        // 400 ms of stream ahead of it, 100 ms of its own, 10 ms on the wire.
        Assert.Equal(TimeSpan.FromMilliseconds(510), Assert.Single(tap.Received).At - start);

        // More than the queue limit (500 ms) of stream ahead: the datagram is dropped.
        sent = stream.SendAsync(new byte[600], CancellationToken.None).AsTask();
        socket.Send(new byte[100], tap.EndPoint);
        swarm.RunFor(TimeSpan.FromSeconds(2));
        Assert.True(sent.IsCompletedSuccessfully);
        Assert.Single(tap.Received);
        Assert.Equal(1, swarm.Network.DatagramsLostTo(SimDatagramDrop.QueueFull));
    }

    [Fact]
    public void Loss_takes_about_its_share_and_the_same_seed_loses_the_same_datagrams()
    {
        var first = LossRun(seed: 5, loss: 0.05);
        var again = LossRun(seed: 5, loss: 0.05);
        var other = LossRun(seed: 6, loss: 0.05);

        // 10,000 draws at 5%: 500 expected, a standard deviation of about 22.
        Assert.InRange(first.Count, 10_000 - 600, 10_000 - 400);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(10_000, LossRun(seed: 5, loss: 0).Count);
    }

    [Fact]
    public void Duplication_delivers_some_datagrams_twice()
    {
        using var swarm = new SimSwarm(3);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(5), 0, Duplicate: 0.1);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var socket = a.Bind(AnyPort);
        var tap = new SimDatagramTap(swarm.Network, new IPEndPoint(b.Address, 0));

        for (int i = 0; i < 10_000; i++)
        {
            socket.Send(BitConverter.GetBytes(i), tap.EndPoint);
        }

        swarm.RunFor(TimeSpan.FromSeconds(1));
        long duplicated = swarm.Network.DatagramsDuplicated;
        Assert.InRange(duplicated, 800, 1200);
        Assert.Equal(10_000 + duplicated, tap.Count);
        Assert.Equal(duplicated, tap.Received.GroupBy(r => BitConverter.ToInt32(r.Data)).Count(g => g.Count() == 2));
        Assert.Equal(0, swarm.Network.DatagramsInFlight);
    }

    [Fact]
    public void Jitter_reorders_datagrams_within_its_bound()
    {
        var steady = Order(TimeSpan.Zero, out var steadyTimes);
        Assert.Equal(Enumerable.Range(0, 100), steady);
        Assert.All(steadyTimes, t => Assert.Equal(TimeSpan.FromMilliseconds(10), t));

        var jittered = Order(TimeSpan.FromMilliseconds(20), out var jitteredTimes);
        Assert.NotEqual(Enumerable.Range(0, 100), jittered);
        Assert.Equal(Enumerable.Range(0, 100), jittered.Order());
        Assert.All(jitteredTimes, t => Assert.InRange(t, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(30)));
    }

    [Fact]
    public void A_full_queue_drops_the_excess_and_a_zero_limit_drops_nothing()
    {
        // At 1,000 B/s a 100-byte datagram takes 100 ms: the sixth waits exactly 500 ms and goes, the rest find more queued.
        Assert.Equal((6, 14), QueueRun(TimeSpan.FromMilliseconds(500), uplink: true));
        Assert.Equal((6, 14), QueueRun(TimeSpan.FromMilliseconds(500), uplink: false));
        Assert.Equal((20, 0), QueueRun(TimeSpan.Zero, uplink: true));
    }

    [Fact]
    public void A_partition_drops_datagrams_sent_across_it_and_those_in_flight()
    {
        using var swarm = new SimSwarm(1);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(50), 0);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var socket = a.Bind(AnyPort);
        var tap = new SimDatagramTap(swarm.Network, new IPEndPoint(b.Address, 0));

        socket.Send([1], tap.EndPoint);
        swarm.RunFor(TimeSpan.FromMilliseconds(10));
        swarm.Network.Partition([a.Address]);
        socket.Send([2], tap.EndPoint);
        swarm.RunFor(TimeSpan.FromSeconds(1));
        Assert.Empty(tap.Received);
        Assert.Equal(2, swarm.Network.DatagramsLostTo(SimDatagramDrop.Partition));

        swarm.Network.Heal();
        socket.Send([3], tap.EndPoint);
        swarm.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal([3], Assert.Single(tap.Received).Data);
    }

    [Fact]
    public void Datagrams_to_an_unbound_port_or_a_socket_not_started_are_dropped_and_counted()
    {
        using var swarm = new SimSwarm(1);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var socket = a.Bind(AnyPort);
        var idle = b.Bind(AnyPort);

        socket.Send([1], new IPEndPoint(b.Address, 9999));
        socket.Send([2], idle.LocalEndPoint);
        swarm.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(1, swarm.Network.DatagramsLostTo(SimDatagramDrop.Unbound));
        Assert.Equal(1, swarm.Network.DatagramsLostTo(SimDatagramDrop.NotStarted));
        Assert.Equal((2, 0, 2), (swarm.Network.DatagramsSent, swarm.Network.DatagramsDelivered, swarm.Network.DatagramsLost));
    }

    [Fact]
    public void Binding_picks_free_ports_refuses_taken_ones_and_frees_them_on_dispose()
    {
        using var swarm = new SimSwarm(1);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();

        var first = a.Bind(AnyPort);
        var second = a.Bind(new IPEndPoint(a.Address, 0));
        Assert.Equal(new IPEndPoint(a.Address, 6881), first.LocalEndPoint);
        Assert.Equal(new IPEndPoint(a.Address, 6882), second.LocalEndPoint);
        Assert.True(((IDatagramNetwork)a).CompletesInline);

        var taken = Assert.Throws<SocketException>(() => a.Bind(new IPEndPoint(IPAddress.Any, 6881)));
        Assert.Equal(SocketError.AddressAlreadyInUse, taken.SocketErrorCode);
        var foreign = Assert.Throws<SocketException>(() => a.Bind(new IPEndPoint(b.Address, 7000)));
        Assert.Equal(SocketError.AddressNotAvailable, foreign.SocketErrorCode);

        swarm.Run(first.DisposeAsync().AsTask());
        Assert.False(first.Send([1], second.LocalEndPoint));
        Assert.Equal(6881, a.Bind(new IPEndPoint(IPAddress.Any, 6881)).LocalEndPoint.Port);
    }

    [Fact]
    public void Handlers_are_asked_in_order_the_first_claimer_wins_and_the_rest_is_unclaimed()
    {
        using var swarm = new SimSwarm(1);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var socket = (SimUdpSocket)b.Bind(AnyPort);
        var taken = new List<string>();
        socket.Register(new Handler(d => d[0] < 10, d => taken.Add($"low {d[0]}")));
        socket.Register(new Handler(d => d[0] < 20, d => taken.Add($"mid {d[0]}")));
        socket.Start();

        // A late registration (the DHT joining a running socket) is asked after the others.
        socket.Register(new Handler(d => d[0] is < 20 or 25, d => taken.Add($"late {d[0]}")));

        foreach (byte value in new byte[] { 5, 15, 25, 35, 7 })
        {
            swarm.Network.Inject(new IPEndPoint(a.Address, 1), socket.LocalEndPoint, [value]);
        }

        swarm.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(["low 5", "mid 15", "late 25", "low 7"], taken);
        Assert.Equal((4, 1), (socket.Received, socket.Unclaimed));
        Assert.Equal(1, swarm.Network.DatagramsUnclaimed);
    }

    [Fact]
    public void A_batch_ends_after_the_datagrams_that_arrive_together()
    {
        using var swarm = new SimSwarm(1);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(10), 0);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var socket = b.Bind(AnyPort);
        var seen = new List<string>();
        socket.Register(new BatchHandler(seen));
        socket.Start();

        var from = new IPEndPoint(a.Address, 1);
        swarm.Network.Inject(from, socket.LocalEndPoint, [1]);
        swarm.Network.Inject(from, socket.LocalEndPoint, [2]);
        swarm.RunFor(TimeSpan.FromMilliseconds(5));
        swarm.Network.Inject(from, socket.LocalEndPoint, [3]);
        swarm.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(["1", "2", "end", "3", "end"], seen);
    }

    [Fact]
    public void Injected_datagrams_come_from_a_made_up_address_and_a_tap_there_sees_the_answer()
    {
        using var swarm = new SimSwarm(1);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(20), 0);
        var b = swarm.Network.AddHost();
        var socket = b.Bind(AnyPort);
        socket.Register(new Handler(_ => true, (d, from) => socket.Send(d.Reverse().ToArray(), from)));
        socket.Start();
        var stranger = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 4000);
        var tap = new SimDatagramTap(swarm.Network, stranger);

        swarm.Network.Inject(stranger, socket.LocalEndPoint, [1, 2, 3]);
        tap.Send([4, 5], socket.LocalEndPoint);
        swarm.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([[3, 2, 1], [5, 4]], tap.Received.Select(r => r.Data));
        Assert.All(tap.Received, r => Assert.Equal(TimeSpan.FromMilliseconds(40), r.At));
        Assert.All(tap.Received, r => Assert.Equal(socket.LocalEndPoint, r.From));
    }

    [Fact]
    public void The_same_seed_gives_the_same_trace()
    {
        var first = Trace(11);
        Assert.Equal(first, Trace(11));
        Assert.NotEqual(first, Trace(12));
    }

    [Fact]
    public void Simulated_sessions_get_the_host_as_their_datagram_network()
    {
        using var swarm = new SimSwarm(1);
        IDatagramNetwork? given = null;
        var node = swarm.AddNode(configure: o =>
        {
            given = o.Datagrams;
            return o;
        });

        Assert.Same(node.Host, given);
    }

    [Fact]
    public void Sessions_on_uTP_alone_trade_byte_exact_over_a_lossy_reordering_link_and_the_same_seed_repeats_the_run()
    {
        var first = UtpTransfer(seed: 4);
        Assert.Equal(first, UtpTransfer(seed: 4));
    }

    private static string UtpTransfer(int seed)
    {
        using var swarm = new SimSwarm(seed);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(20), 2L << 20, Loss: 0.05, Duplicate: 0.01, Jitter: TimeSpan.FromMilliseconds(5));
        var (torrent, content) = SimSwarm.MakeTorrent(4 << 20);
        var utpOnly = SimSwarm.DefaultSettings with { EnableIncomingTcp = false, EnableOutgoingTcp = false };
        var seeder = swarm.AddNode(utpOnly);
        swarm.AddTorrent(seeder, torrent, content);
        var leecher = swarm.AddNode(utpOnly);
        swarm.AddTorrent(leecher, torrent, peers: [seeder.EndPoint]);

        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.State == GodotTorrent.Session.TorrentState.Seeding, TimeSpan.FromMinutes(5)), SimulatedSwarmTests.Describe(swarm));
        SimulatedSwarmTests.AssertHolds(swarm, leecher, content);
        Assert.Equal(0, swarm.Network.ConnectionsMade);
        Assert.InRange(swarm.Network.DatagramsLostTo(SimDatagramDrop.Loss), 1, swarm.Network.DatagramsSent / 10);
        Assert.Empty(swarm.Scheduler.Errors);
        return $"{swarm.Clock.Elapsed.Ticks} {swarm.Network.DatagramsSent} {swarm.Network.DatagramsLost}\n{string.Join("\n", swarm.Trace)}";
    }

    private static List<int> LossRun(int seed, double loss)
    {
        using var swarm = new SimSwarm(seed);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(5), 0, Loss: loss);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var socket = a.Bind(AnyPort);
        var tap = new SimDatagramTap(swarm.Network, new IPEndPoint(b.Address, 0));
        for (int i = 0; i < 10_000; i++)
        {
            socket.Send(BitConverter.GetBytes(i), tap.EndPoint);
        }

        swarm.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(10_000 - tap.Count, swarm.Network.DatagramsLostTo(SimDatagramDrop.Loss));
        return [.. tap.Received.Select(r => BitConverter.ToInt32(r.Data))];
    }

    private static List<int> Order(TimeSpan jitter, out List<TimeSpan> times)
    {
        using var swarm = new SimSwarm(2);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(10), 0, Jitter: jitter);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var socket = a.Bind(AnyPort);
        var tap = new SimDatagramTap(swarm.Network, new IPEndPoint(b.Address, 0));
        for (int i = 0; i < 100; i++)
        {
            socket.Send(BitConverter.GetBytes(i), tap.EndPoint);
        }

        swarm.RunFor(TimeSpan.FromSeconds(1));
        times = [.. tap.Received.Select(r => r.At)];
        return [.. tap.Received.Select(r => BitConverter.ToInt32(r.Data))];
    }

    private static (long Delivered, long Dropped) QueueRun(TimeSpan limit, bool uplink)
    {
        using var swarm = new SimSwarm(1);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(10), 0) { QueueLimit = limit };
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        if (uplink)
        {
            a.UplinkBytesPerSecond = 1000;
        }
        else
        {
            b.DownlinkBytesPerSecond = 1000;
        }

        var socket = a.Bind(AnyPort);
        var tap = new SimDatagramTap(swarm.Network, new IPEndPoint(b.Address, 0));
        for (int i = 0; i < 20; i++)
        {
            socket.Send(new byte[100], tap.EndPoint);
        }

        swarm.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(tap.Count, swarm.Network.DatagramsDelivered);
        return (tap.Count, swarm.Network.DatagramsLostTo(SimDatagramDrop.QueueFull));
    }

    private static List<string> Trace(int seed)
    {
        using var swarm = new SimSwarm(seed);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(10), 100_000, Loss: 0.1, Duplicate: 0.1, Jitter: TimeSpan.FromMilliseconds(15));
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        b.DownlinkBytesPerSecond = 50_000;
        var socket = a.Bind(AnyPort);
        var tap = new SimDatagramTap(swarm.Network, new IPEndPoint(b.Address, 0));
        // The receiver answers some, so both directions draw from the network's randomness.
        tap.Arrived += d =>
        {
            if (d.Data[0] % 3 == 0)
            {
                tap.Send(d.Data, d.From);
            }
        };
        var echoes = new SimDatagramTap(swarm.Network, new IPEndPoint(a.Address, 0));
        for (int i = 0; i < 500; i++)
        {
            socket.Send(new byte[] { (byte)i }.Concat(new byte[i % 700]).ToArray(), tap.EndPoint);
            echoes.Send([(byte)i], tap.EndPoint);
        }

        swarm.RunFor(TimeSpan.FromSeconds(10));
        return [.. tap.Received.Concat(echoes.Received).Select(r => $"{r.At.Ticks} {r.From} {r.Data.Length} {r.Data[0]}"), $"lost {swarm.Network.DatagramsLost}"];
    }

    private sealed class Handler(Func<byte[], bool> claims, Action<byte[], IPEndPoint> receive) : IDatagramHandler
    {
        public Handler(Func<byte[], bool> claims, Action<byte[]> receive)
            : this(claims, (d, _) => receive(d))
        {
        }

        public bool Claims(ReadOnlySpan<byte> datagram, IPEndPoint from) => claims(datagram.ToArray());

        public void Receive(ReadOnlySpan<byte> datagram, IPEndPoint from) => receive(datagram.ToArray(), from);
    }

    private sealed class BatchHandler(List<string> seen) : IDatagramHandler, IDatagramBatchHandler
    {
        public bool Claims(ReadOnlySpan<byte> datagram, IPEndPoint from) => true;

        public void Receive(ReadOnlySpan<byte> datagram, IPEndPoint from) => seen.Add(datagram[0].ToString(System.Globalization.CultureInfo.InvariantCulture));

        public void EndOfBatch() => seen.Add("end");
    }
}
