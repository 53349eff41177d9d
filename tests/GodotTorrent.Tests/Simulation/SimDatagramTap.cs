using System.Net;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// A test's own UDP endpoint on the simulated network, at any address (a host's, or a made-up
/// one that no host has, which then has no uplink or downlink of its own): it records every
/// datagram that arrives, lets the test answer from <see cref="Arrived"/>, and sends raw
/// datagrams on the same path a session's socket would. For a flood from many addresses without
/// caring about replies, <see cref="SimNetwork.Inject"/> needs no tap.
/// </summary>
internal sealed class SimDatagramTap : IDatagramHandler, IAsyncDisposable
{
    private readonly SimNetwork _network;
    private readonly int _maxRecorded;

    /// <param name="network">The network to bind on.</param>
    /// <param name="endPoint">Where to bind; port 0 picks a free one.</param>
    /// <param name="maxRecorded">How many datagrams <see cref="Received"/> keeps; later ones are only counted.</param>
    public SimDatagramTap(SimNetwork network, IPEndPoint endPoint, int maxRecorded = 100_000)
    {
        _network = network;
        _maxRecorded = maxRecorded;
        Socket = new SimUdpSocket(network, endPoint);
        Socket.Register(this);
        Socket.Start();
    }

    public SimUdpSocket Socket { get; }

    public IPEndPoint EndPoint => Socket.LocalEndPoint;

    /// <summary>What arrived, in order (up to the limit given at construction).</summary>
    public List<SimDatagram> Received { get; } = [];

    /// <summary>Everything that arrived, recorded or not.</summary>
    public long Count { get; private set; }

    /// <summary>Raised inside the delivering scheduler item, after recording; the handler may <see cref="Send"/>.</summary>
    public event Action<SimDatagram>? Arrived;

    /// <summary>Sends a copy of <paramref name="datagram"/> from this endpoint.</summary>
    public bool Send(ReadOnlySpan<byte> datagram, IPEndPoint to) => Socket.Send(datagram, to);

    public bool Claims(ReadOnlySpan<byte> datagram, IPEndPoint from) => true;

    public void Receive(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        var received = new SimDatagram(_network.Scheduler.Time.GetUtcNow() - SimClock.Epoch, from, datagram.ToArray());
        Count++;
        if (Received.Count < _maxRecorded)
        {
            Received.Add(received);
        }

        Arrived?.Invoke(received);
    }

    public ValueTask DisposeAsync() => Socket.DisposeAsync();
}
