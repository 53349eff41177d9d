using System.Net;
using GodotTorrent.Engine;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Simulation;

/// <summary>The simulated network and clock on their own: latency, bandwidth, partitions, timers.</summary>
public sealed class SimNetworkTests
{
    [Fact]
    public void BytesArriveOneLatencyAfterTheirTransmitTime()
    {
        var swarm = new SimSwarm(1);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(50), 1000);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var listener = b.Listen(new IPEndPoint(IPAddress.Any, 0));
        var accept = listener.AcceptAsync(CancellationToken.None).AsTask();
        var connect = a.ConnectAsync(listener.LocalEndPoint, CancellationToken.None).AsTask();
        var client = swarm.Run(connect);
        // Connecting takes a round trip.
        Assert.Equal(TimeSpan.FromMilliseconds(100), swarm.Clock.Elapsed);
        var server = swarm.Run(accept);

        var send = client.SendAsync(new byte[500], CancellationToken.None).AsTask();
        var buffer = new byte[1000];
        var receive = server.ReceiveAsync(buffer, CancellationToken.None).AsTask();
        swarm.Run(send);
        // 500 bytes at 1000 B/s take half a second to leave.
        Assert.Equal(TimeSpan.FromMilliseconds(600), swarm.Clock.Elapsed);
        Assert.False(receive.IsCompleted);
        Assert.Equal(500, swarm.Run(receive));
        Assert.Equal(TimeSpan.FromMilliseconds(650), swarm.Clock.Elapsed);
    }

    [Fact]
    public void APartitionHoldsSegmentsUntilItHeals()
    {
        var swarm = new SimSwarm(1);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var listener = b.Listen(new IPEndPoint(IPAddress.Any, 0));
        var accept = listener.AcceptAsync(CancellationToken.None).AsTask();
        var client = swarm.Run(a.ConnectAsync(listener.LocalEndPoint, CancellationToken.None).AsTask());
        var server = swarm.Run(accept);

        swarm.Network.Partition([a.Address]);
        swarm.Run(client.SendAsync(new byte[] { 1, 2, 3 }, CancellationToken.None).AsTask());
        var receive = server.ReceiveAsync(new byte[10], CancellationToken.None).AsTask();
        swarm.RunFor(TimeSpan.FromMinutes(1));
        Assert.False(receive.IsCompleted);

        swarm.Network.Heal();
        Assert.Equal(3, swarm.Run(receive));
    }

    [Fact]
    public void TheSchedulerJumpsToTheNextTimer()
    {
        var swarm = new SimSwarm(1);
        var fired = new List<TimeSpan>();
        using var timer = swarm.Clock.CreateTimer(_ => fired.Add(swarm.Clock.Elapsed), null, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10));
        var delay = Task.Delay(TimeSpan.FromSeconds(7), swarm.Clock);
        swarm.Run(delay);
        Assert.Equal(TimeSpan.FromSeconds(7), swarm.Clock.Elapsed);
        swarm.RunFor(TimeSpan.FromSeconds(20));
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(13), TimeSpan.FromSeconds(23)], fired);
    }

    [Fact]
    public void ConnectionsOfOneHostShareItsUplinkAndDownlink()
    {
        var swarm = new SimSwarm(1);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(10), 0);
        var a = swarm.Network.AddHost();
        var b = swarm.Network.AddHost();
        var c = swarm.Network.AddHost();
        var d = swarm.Network.AddHost();
        a.UplinkBytesPerSecond = 1000;
        c.DownlinkBytesPerSecond = 1000;
        var (ab, _) = Connect(swarm, a, b);
        var (ad, _) = Connect(swarm, a, d);
        var (bc, cb) = Connect(swarm, b, c);
        var (dc, cd) = Connect(swarm, d, c);

        // Two 500-byte sends from a: its uplink takes them one after the other.
        var start = swarm.Clock.Elapsed;
        var first = ab.SendAsync(new byte[500], CancellationToken.None).AsTask();
        var second = ad.SendAsync(new byte[500], CancellationToken.None).AsTask();
        swarm.Run(first);
        Assert.Equal(TimeSpan.FromMilliseconds(500), swarm.Clock.Elapsed - start);
        swarm.Run(second);
        Assert.Equal(TimeSpan.FromSeconds(1), swarm.Clock.Elapsed - start);

        // Two 500-byte sends to c from different hosts arrive together and queue on c's downlink.
        start = swarm.Clock.Elapsed;
        var fromB = cb.ReceiveAsync(new byte[1000], CancellationToken.None).AsTask();
        var fromD = cd.ReceiveAsync(new byte[1000], CancellationToken.None).AsTask();
        swarm.Run(bc.SendAsync(new byte[500], CancellationToken.None).AsTask());
        swarm.Run(dc.SendAsync(new byte[500], CancellationToken.None).AsTask());
        Assert.Equal(500, swarm.Run(fromB));
        Assert.Equal(TimeSpan.FromMilliseconds(510), swarm.Clock.Elapsed - start);
        Assert.Equal(500, swarm.Run(fromD));
        Assert.Equal(TimeSpan.FromMilliseconds(1010), swarm.Clock.Elapsed - start);
    }

    private static (IPeerConnectionStream Client, IPeerConnectionStream Server) Connect(SimSwarm swarm, SimHost from, SimHost to)
    {
        var listener = to.Listen(new IPEndPoint(IPAddress.Any, 0));
        var accept = listener.AcceptAsync(CancellationToken.None).AsTask();
        var client = swarm.Run(from.ConnectAsync(listener.LocalEndPoint, CancellationToken.None).AsTask());
        return (client, swarm.Run(accept));
    }
}
