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
}
