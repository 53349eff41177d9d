using System.Net;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// A bound UDP socket on the simulated network. <see cref="Send"/> hands a copy of the datagram to
/// the network at once; what arrives is given to the handlers inside a scheduler item, the first
/// claimer taking it (as <see cref="UdpMultiplexer"/> does). A burst ends (for
/// <see cref="IDatagramBatchHandler"/>s) once the datagrams ready at that virtual instant have been
/// handled. A handler's exception is not swallowed here: it lands in the scheduler's errors, so a
/// test sees the bad input its code choked on.
/// </summary>
internal sealed class SimUdpSocket : IDatagramSocket
{
    // The largest UDP payload over IPv4.
    private const int MaxDatagram = 65507;

    private readonly SimNetwork _network;
    private IDatagramHandler[] _handlers = [];
    private bool _batchOpen;

    public SimUdpSocket(SimNetwork network, IPEndPoint local)
    {
        _network = network;
        LocalEndPoint = network.BindDatagrams(this, local);
    }

    public IPEndPoint LocalEndPoint { get; }

    public bool Started { get; private set; }

    public bool Closed { get; private set; }

    /// <summary>Datagrams that reached this socket and no handler claimed.</summary>
    public long Unclaimed { get; private set; }

    /// <summary>Datagrams given to a handler.</summary>
    public long Received { get; private set; }

    /// <summary>Bursts ended (batch handlers told).</summary>
    public long Batches { get; private set; }

    /// <summary>Adds a handler, also after <see cref="Start"/> (copied on write, as <see cref="UdpMultiplexer"/> does).</summary>
    public void Register(IDatagramHandler handler) => _handlers = [.. _handlers, handler];

    public void Start() => Started = true;

    public bool Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        if (Closed || datagram.Length > MaxDatagram)
        {
            return false;
        }

        _network.SendDatagram(LocalEndPoint, to, datagram.ToArray());
        return true;
    }

    public ValueTask DisposeAsync()
    {
        if (!Closed)
        {
            Closed = true;
            _network.UnbindDatagrams(LocalEndPoint);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Gives an arrived datagram to the first handler that claims it; false when none did.</summary>
    internal bool Deliver(byte[] datagram, IPEndPoint from)
    {
        if (!_batchOpen)
        {
            // Queued behind what is ready now, as the real socket ends a batch when its queue is empty.
            _batchOpen = true;
            _network.Scheduler.PostAfter(TimeSpan.Zero, EndBatch);
        }

        foreach (var handler in _handlers)
        {
            if (handler.Claims(datagram, from))
            {
                Received++;
                handler.Receive(datagram, from);
                return true;
            }
        }

        Unclaimed++;
        return false;
    }

    private void EndBatch()
    {
        _batchOpen = false;
        if (Closed)
        {
            return;
        }

        Batches++;
        foreach (var handler in _handlers)
        {
            if (handler is IDatagramBatchHandler batch)
            {
                batch.EndOfBatch();
            }
        }
    }
}
