using System.Net;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Net;

public sealed class PendingConnectionsTests
{
    [Fact]
    public void When_full_the_oldest_pending_connection_is_aborted_and_forgotten()
    {
        var pending = new PendingConnections();
        var streams = Enumerable.Range(0, 4).Select(i => new Stub(i)).ToArray();

        Assert.Equal(0, pending.Add(streams[0], capacity: 3));
        Assert.Equal(0, pending.Add(streams[1], capacity: 3));
        Assert.Equal(0, pending.Add(streams[2], capacity: 3));
        Assert.Equal(1, pending.Add(streams[3], capacity: 3));

        Assert.Equal(3, pending.Count);
        Assert.True(streams[0].Aborted);
        Assert.DoesNotContain(streams[1..], s => s.Aborted);

        // The dropped one's handshake result finds it gone; the others leave normally.
        Assert.False(pending.Remove(streams[0]));
        Assert.True(pending.Remove(streams[1]));
        Assert.Equal(0, pending.Add(new Stub(9), capacity: 3));
        Assert.False(streams[2].Aborted);
    }

    [Fact]
    public void A_lowered_capacity_drops_every_oldest_connection_above_it()
    {
        var pending = new PendingConnections();
        var streams = Enumerable.Range(0, 5).Select(i => new Stub(i)).ToArray();
        foreach (var stream in streams)
        {
            pending.Add(stream, capacity: 10);
        }

        Assert.Equal(4, pending.Add(new Stub(5), capacity: 2));
        Assert.Equal(2, pending.Count);
        Assert.Equal([true, true, true, true, false], streams.Select(s => s.Aborted));
    }

    [Fact]
    public void A_flood_from_one_address_pushes_out_its_own_handshakes_not_a_lone_peers()
    {
        var pending = new PendingConnections();
        var lone = new Stub(0, IPAddress.Parse("10.0.0.9"));
        pending.Add(lone, capacity: 3);
        var flood = Enumerable.Range(1, 5).Select(i => new Stub(i, IPAddress.Parse("10.0.0.66"))).ToArray();
        foreach (var stream in flood)
        {
            pending.Add(stream, capacity: 3);
        }

        Assert.False(lone.Aborted);
        Assert.Equal([true, true, true, false, false], flood.Select(s => s.Aborted));
        Assert.True(pending.Remove(lone));
    }

    private sealed class Stub(int port, IPAddress? address = null) : IPeerConnectionStream
    {
        public GodotTorrent.Session.PeerTransport Transport => GodotTorrent.Session.PeerTransport.Tcp;

        public bool Aborted { get; private set; }

        public IPEndPoint RemoteEndPoint { get; } = new(address ?? IPAddress.Loopback, 1000 + port);

        public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 6881);

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) => ValueTask.FromResult(0);

        public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Abort() => Aborted = true;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
