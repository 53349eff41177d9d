using System.Net;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// One end of a simulated connection. Sends take the link's transmit time (the sender waits, as
/// on a full socket buffer), arrive one latency later in order, wait out partitions, and may reset
/// the connection by the link's loss. Every completion happens synchronously in a scheduler item.
/// </summary>
internal sealed class SimStream : IPeerConnectionStream
{
    public GodotTorrent.Session.PeerTransport Transport => GodotTorrent.Session.PeerTransport.Tcp;

    private static readonly byte[] Fin = [];
    private static readonly byte[] Reset = [];

    // The size of the pieces a send is delivered in.
    private const int ChunkSize = 16 * 1024;

    private readonly SimNetwork _network;
    private readonly Queue<byte[]> _received = new();
    private readonly Queue<byte[]> _held = new();
    private int _readOffset;
    private SimOperation<int>? _pendingReceive;
    private Memory<byte> _pendingBuffer;
    private bool _finReceived;
    private bool _reset;
    private bool _aborted;
    private bool _flushScheduled;
    private DateTimeOffset _sendBusyUntil;

    public SimStream(SimNetwork network, IPEndPoint local, IPEndPoint remote)
    {
        _network = network;
        LocalEndPoint = local;
        RemoteEndPoint = remote;
    }

    public IPEndPoint RemoteEndPoint { get; }

    public IPEndPoint LocalEndPoint { get; }

    public SimStream? Remote { get; set; }

    /// <summary>Payload bytes this end has sent.</summary>
    public long BytesSent { get; private set; }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_aborted)
        {
            return ValueTask.FromException<int>(new ObjectDisposedException(nameof(SimStream)));
        }

        if (_received.Count > 0)
        {
            return new ValueTask<int>(CopyTo(buffer.Span));
        }

        if (_reset)
        {
            return ValueTask.FromException<int>(new IOException("The connection was reset."));
        }

        if (_finReceived)
        {
            return new ValueTask<int>(0);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }
        var pending = new SimOperation<int>();
        _pendingReceive = pending;
        _pendingBuffer = buffer;
        pending.CancelWith(cancellationToken);
        return pending.Task;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_aborted)
        {
            return ValueTask.FromException(new ObjectDisposedException(nameof(SimStream)));
        }

        if (_reset)
        {
            return ValueTask.FromException(new IOException("The connection was reset."));
        }

        if (data.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        var link = _network.Link(LocalEndPoint.Address, RemoteEndPoint.Address);
        var host = _network.Host(LocalEndPoint.Address);
        var now = _network.Scheduler.Time.GetUtcNow();
        var start = Later(Later(_sendBusyUntil, host.UplinkBusyUntil), now);
        long rate = Slowest(link.BytesPerSecond, host.UplinkBytesPerSecond);
        if (host.UplinkBytesPerSecond > 0)
        {
            // The shared uplink is busy for this send at its own rate; a slower link holds up only this connection.
            host.UplinkBusyUntil = start + LinkProfile.TransmitTime(data.Length, host.UplinkBytesPerSecond);
        }

        _sendBusyUntil = start + LinkProfile.TransmitTime(data.Length, rate);
        BytesSent += data.Length;
        bool lost = link.Reset > 0 && _network.Random.NextDouble() < link.Reset;
        var remote = Remote!;
        if (lost)
        {
            _network.Scheduler.PostAfter(_sendBusyUntil + link.Latency - now, () => remote.Arrive(Reset));
            ApplyReset();
        }
        else
        {
            // A long send arrives piece by piece, as TCP segments would, not all at once when its last byte is out.
            for (int offset = 0; offset < data.Length; offset += ChunkSize)
            {
                int length = Math.Min(ChunkSize, data.Length - offset);
                var chunk = data.Slice(offset, length).ToArray();
                var arrives = start + LinkProfile.TransmitTime(offset + length, rate) + link.Latency;
                _network.Scheduler.PostAfter(arrives - now, () => remote.Arrive(chunk));
            }
        }

        if (_sendBusyUntil <= now)
        {
            return ValueTask.CompletedTask;
        }

        var sent = new SimOperation<bool>();
        _network.Scheduler.PostAfter(_sendBusyUntil - now, () => sent.TrySetResult(true));
        return sent.AsValueTask;
    }

    public void Abort()
    {
        if (_aborted)
        {
            return;
        }

        _aborted = true;
        FailPending(new ObjectDisposedException(nameof(SimStream)));
        _network.Forget(this);
        if (Remote is { } remote && !_reset)
        {
            var link = _network.Link(LocalEndPoint.Address, RemoteEndPoint.Address);
            var now = _network.Scheduler.Time.GetUtcNow();
            var leaves = _sendBusyUntil > now ? _sendBusyUntil : now;
            _network.Scheduler.PostAfter(leaves + link.Latency - now, () => remote.Arrive(Fin));
        }
    }

    public ValueTask DisposeAsync()
    {
        Abort();
        return ValueTask.CompletedTask;
    }

    /// <summary>Delivers what waited for a partition to heal, one latency from now.</summary>
    internal void FlushHeld()
    {
        if (_held.Count == 0 || _flushScheduled)
        {
            return;
        }

        _flushScheduled = true;
        _network.Scheduler.PostAfter(_network.Link(RemoteEndPoint.Address, LocalEndPoint.Address).Latency, () =>
        {
            _flushScheduled = false;
            while (_held.TryDequeue(out var segment))
            {
                Apply(segment);
            }
        });
    }

    private void Arrive(byte[] segment)
    {
        if (_held.Count > 0 || _network.Blocked(RemoteEndPoint.Address, LocalEndPoint.Address))
        {
            _held.Enqueue(segment);
            return;
        }

        var host = _network.Host(LocalEndPoint.Address);
        if (host.DownlinkBytesPerSecond <= 0)
        {
            Apply(segment);
            return;
        }

        // The downlink is one queue for every connection of the host, so segments keep their order.
        var now = _network.Scheduler.Time.GetUtcNow();
        host.DownlinkBusyUntil = Later(host.DownlinkBusyUntil, now) + LinkProfile.TransmitTime(segment.Length, host.DownlinkBytesPerSecond);
        _network.Scheduler.PostAfter(host.DownlinkBusyUntil - now, () => Apply(segment));
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static long Slowest(long a, long b) => a <= 0 ? b : b <= 0 ? a : Math.Min(a, b);

    private void Apply(byte[] segment)
    {
        if (_aborted || _reset)
        {
            return;
        }

        if (ReferenceEquals(segment, Reset))
        {
            ApplyReset();
            return;
        }

        if (ReferenceEquals(segment, Fin))
        {
            _finReceived = true;
        }
        else
        {
            _received.Enqueue(segment);
        }

        if (_pendingReceive is { IsCompleted: false } pending)
        {
            _pendingReceive = null;
            int read = _received.Count > 0 ? CopyTo(_pendingBuffer.Span) : 0;
            _pendingBuffer = default;
            pending.TrySetResult(read);
        }
    }

    private void ApplyReset()
    {
        _reset = true;
        _network.Forget(this);
        FailPending(new IOException("The connection was reset."));
    }

    private void FailPending(Exception error)
    {
        if (_pendingReceive is { } pending)
        {
            _pendingReceive = null;
            _pendingBuffer = default;
            pending.TrySetException(error);
        }
    }

    private int CopyTo(Span<byte> buffer)
    {
        int copied = 0;
        while (copied < buffer.Length && _received.TryPeek(out var head))
        {
            int n = Math.Min(buffer.Length - copied, head.Length - _readOffset);
            head.AsSpan(_readOffset, n).CopyTo(buffer[copied..]);
            copied += n;
            _readOffset += n;
            if (_readOffset == head.Length)
            {
                _received.Dequeue();
                _readOffset = 0;
            }
        }

        return copied;
    }
}
