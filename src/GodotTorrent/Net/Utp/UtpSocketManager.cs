using System.Net;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Net.Utp;

/// <summary>
/// Every uTP connection on one UDP socket (BEP 29): finds the connection a packet belongs to
/// (remote endpoint and connection id), answers SYNs, keeps strangers in check (a bounded
/// half-open set, a bounded accept queue, rate-limited RESETs for unknown connections) and
/// drives the connections' timers. One lock guards every connection of the socket.
/// </summary>
internal sealed class UtpSocketManager : IDatagramHandler, IDatagramBatchHandler, IAsyncDisposable
{
    /// <summary>The smallest payload we cut packets to: safe on any path that carries IPv6 (1,280) or typical IPv4 tunnels.</summary>
    public const int MinPacketSize = 1200;

    /// <summary>Connections a peer opened that have sent no data yet; beyond it the oldest of the busiest address goes.</summary>
    public const int MaxHalfOpen = 64;

    /// <summary>Connections with data waiting for the engine to accept them.</summary>
    public const int AcceptBacklog = 64;

    public const int MaxConnections = 4096;

    private const int ResetBurst = 20;
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan HalfOpenTimeout = TimeSpan.FromSeconds(10);

    private readonly IDatagramSocket _socket;
    private readonly TimeProvider _time;
    private readonly Func<UtpPolicy> _policy;
    private readonly Func<IPEndPoint, int> _packetSizeFor;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly long _epoch;
    private readonly Dictionary<(IPEndPoint Remote, ushort Id), UtpConnection> _connections = [];
    private readonly List<UtpConnection> _halfOpen = [];
    private readonly Queue<UtpConnection> _accepted = new();
    private List<UtpConnection> _flushLater = [];
    private List<UtpConnection> _flushing = [];
    private readonly UtpWaiter<IPeerConnectionStream> _acceptor;
    private ITimer? _timer;
    private int _resetTokens = ResetBurst;
    private List<UtpConnection>? _tickList;
    private bool _disposed;
    private bool _accepting = true;

    public UtpSocketManager(IDatagramSocket socket, TimeProvider time, bool inline, Func<UtpPolicy> policy, Func<IPEndPoint, int> packetSizeFor, Random random, ILogger logger)
    {
        _socket = socket;
        _time = time;
        Inline = inline;
        _policy = policy;
        _packetSizeFor = packetSizeFor;
        _random = random;
        _logger = logger;
        _epoch = time.GetTimestamp();
        _acceptor = new UtpWaiter<IPeerConnectionStream>(inline);
        LocalEndPoint = socket.LocalEndPoint;
    }

    /// <summary>The lock of every connection on this socket.</summary>
    public object Gate { get; } = new();

    /// <summary>Awaits may complete on the delivering thread (simulation).</summary>
    public bool Inline { get; }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The UDP socket, which the DHT shares.</summary>
    public IDatagramSocket Socket => _socket;

    public TimeSpan TargetDelay => _policy().TargetDelay;

    public DateTimeOffset Now => _time.GetUtcNow();

    public UtpStatistics Statistics { get; } = new();

    /// <summary>Connections in the table now (any state but closed).</summary>
    public int ConnectionCount
    {
        get
        {
            lock (Gate)
            {
                return _connections.Count;
            }
        }
    }

    public int HalfOpenCount
    {
        get
        {
            lock (Gate)
            {
                return _halfOpen.Count;
            }
        }
    }

    public long NowMicros() => (long)_time.GetElapsedTime(_epoch).TotalMicroseconds;

    public bool Claims(ReadOnlySpan<byte> datagram, IPEndPoint from) => DatagramShape.IsUtp(datagram);

    public void Receive(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        if (!UtpHeader.TryParse(datagram, out var header, out var selectiveAck, out int payloadOffset))
        {
            Statistics.Malformed++;
            return;
        }

        UtpConnection? connection;
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }

            connection = header.Type == UtpPacketType.Syn
                ? OnSyn(header, from)
                : Find(header, from);
            if (connection is not null && header.Type != UtpPacketType.Syn)
            {
                bool wasHalfOpen = connection.HalfOpen;
                connection.OnPacket(header, selectiveAck, datagram[payloadOffset..]);
                if (wasHalfOpen && !connection.HalfOpen && connection.State != UtpState.Closed)
                {
                    _halfOpen.Remove(connection);
                    Offer(connection);
                }
            }
        }

        connection?.DeliverCompletions();
        _acceptor.Deliver();
    }

    /// <summary>The socket has no more datagrams queued: send the acks and wake the readers deferred while it had.</summary>
    public void EndOfBatch()
    {
        List<UtpConnection> flushing;
        lock (Gate)
        {
            if (_flushLater.Count == 0)
            {
                return;
            }

            (flushing, _flushLater, _flushing) = (_flushLater, _flushing, _flushLater);
            foreach (var connection in flushing)
            {
                connection.FlushDeferred();
            }
        }

        // Only the receive loop calls this, so the swapped list is ours until the next batch.
        foreach (var connection in flushing)
        {
            connection.DeliverCompletions();
        }

        flushing.Clear();
    }

    /// <summary>Opens a connection to <paramref name="remote"/>.</summary>
    public ValueTask<IPeerConnectionStream> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        UtpConnection connection;
        ValueTask<IPeerConnectionStream> pending;
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connections.Count >= MaxConnections)
            {
                throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.TooManyOpenSockets);
            }

            // Both our receive id and the peer's (ours + 1) must be free for this remote.
            ushort id;
            do
            {
                id = (ushort)_random.Next(0, 0x10000);
            }
            while (_connections.ContainsKey((remote, id)) || _connections.ContainsKey((remote, (ushort)(id + 1))));

            pending = UtpConnection.Connect(this, remote, id, _packetSizeFor(remote), (ushort)_random.Next(0, 0x10000), cancellationToken, out connection);
            Track(connection);
        }

        connection.DeliverCompletions();
        return pending;
    }

    /// <summary>Waits for a connection a peer opened and sent data on.</summary>
    public ValueTask<IPeerConnectionStream> AcceptAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (_accepted.TryDequeue(out var ready))
            {
                if (ready.State != UtpState.Closed)
                {
                    return new ValueTask<IPeerConnectionStream>(ready);
                }
            }

            if (_acceptor.IsWaiting)
            {
                throw new InvalidOperationException("One accept at a time.");
            }

            var pending = _acceptor.Arm();
            _acceptor.FailOnCancel(Gate, cancellationToken);
            return pending;
        }
    }

    /// <summary>Refuses new connections from now on (the listener closed); those open go on.</summary>
    public void StopAccepting()
    {
        lock (Gate)
        {
            _accepting = false;
            _acceptor.Fail(new ObjectDisposedException(nameof(UtpListener)));
        }

        _acceptor.Deliver();
    }

    /// <summary>Sends one datagram (under the lock: UDP sends do not block).</summary>
    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        if (!_socket.Send(datagram, to))
        {
            Statistics.SendFailures++;
        }
    }

    /// <summary>A connection owes an ack or a reader's wake-up that can wait for the end of this batch of datagrams.</summary>
    public void FlushLater(UtpConnection connection)
    {
        if (!connection.FlushQueued)
        {
            connection.FlushQueued = true;
            _flushLater.Add(connection);
        }
    }

    /// <summary>Drops a closed connection from the tables, under the lock.</summary>
    public void Forget(UtpConnection connection)
    {
        _connections.Remove((connection.RemoteEndPoint, connection.ReceiveId));
        if (connection.HalfOpen)
        {
            _halfOpen.Remove(connection);
        }

        if (_connections.Count == 0 && _timer is { } timer)
        {
            timer.Dispose();
            _timer = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        UtpConnection[] open;
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _acceptor.Fail(new ObjectDisposedException(nameof(UtpSocketManager)));
            open = [.. _connections.Values];
        }

        _acceptor.Deliver();
        foreach (var connection in open)
        {
            connection.Abort();
        }

        lock (Gate)
        {
            _timer?.Dispose();
            _timer = null;
        }

        await _socket.DisposeAsync().ConfigureAwait(false);
    }

    private UtpConnection? Find(in UtpHeader header, IPEndPoint from)
    {
        if (_connections.TryGetValue((from, header.ConnectionId), out var connection))
        {
            return connection;
        }

        Statistics.UnknownConnection++;
        if (header.Type != UtpPacketType.Reset)
        {
            SendReset(from, header);
        }

        return null;
    }

    private UtpConnection? OnSyn(in UtpHeader syn, IPEndPoint from)
    {
        if (_connections.TryGetValue((from, (ushort)(syn.ConnectionId + 1)), out var existing))
        {
            // A resent SYN for a connection we already answered.
            existing.OnPacket(syn, default, default);
            return existing;
        }

        if (!_accepting || !_policy().AcceptIncoming || _connections.Count >= MaxConnections)
        {
            Statistics.Refused++;
            SendReset(from, syn);
            return null;
        }

        if (_halfOpen.Count >= MaxHalfOpen)
        {
            EvictHalfOpen();
        }

        var connection = UtpConnection.Accept(this, from, syn, _packetSizeFor(from), (ushort)_random.Next(0, 0x10000));
        Track(connection);
        _halfOpen.Add(connection);
        return connection;
    }

    /// <summary>Makes room for a newcomer: the oldest half-open connection of the address holding the most (a flood hurts only its sender).</summary>
    private void EvictHalfOpen()
    {
        var counts = new Dictionary<IPAddress, int>();
        IPAddress? busiest = null;
        foreach (var connection in _halfOpen)
        {
            var address = connection.RemoteEndPoint.Address;
            int count = counts[address] = counts.GetValueOrDefault(address) + 1;
            if (busiest is null || count > counts[busiest])
            {
                busiest = address;
            }
        }

        var victim = _halfOpen.First(c => c.RemoteEndPoint.Address.Equals(busiest));
        Statistics.HalfOpenEvicted++;
        victim.Drop();
    }

    private void Offer(UtpConnection connection)
    {
        if (_acceptor.Decide(connection))
        {
            return;
        }

        if (_accepted.Count >= AcceptBacklog)
        {
            Statistics.Refused++;
            connection.Reset();
            return;
        }

        _accepted.Enqueue(connection);
    }

    private void Track(UtpConnection connection)
    {
        _connections.Add((connection.RemoteEndPoint, connection.ReceiveId), connection);
        _timer ??= _time.CreateTimer(static state => ((UtpSocketManager)state!).Tick(), this, TickInterval, TickInterval);
    }

    /// <summary>BEP 29: a packet for no connection we know gets a RESET, at a bounded rate so we cannot be used to flood.</summary>
    private void SendReset(IPEndPoint to, in UtpHeader cause)
    {
        if (_resetTokens == 0)
        {
            return;
        }

        _resetTokens--;
        Statistics.ResetsSent++;
        Span<byte> packet = stackalloc byte[UtpHeader.Size];
        new UtpHeader(UtpPacketType.Reset, cause.ConnectionId, (uint)NowMicros(), 0, 0, (ushort)_random.Next(0, 0x10000), cause.SequenceNumber).Write(packet);
        Send(packet, to);
    }

    private void Tick()
    {
        List<UtpConnection> open;
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }

            _resetTokens = Math.Min(ResetBurst, _resetTokens + 1);
            long now = NowMicros();
            // The list is reused from tick to tick; a tick that overlaps a slow one makes its own.
            open = _tickList ?? new List<UtpConnection>(_connections.Count);
            _tickList = null;
            open.AddRange(_connections.Values);
            foreach (var connection in open)
            {
                if (connection.HalfOpen && now - connection.CreatedMicros > (long)HalfOpenTimeout.TotalMicroseconds)
                {
                    Statistics.HalfOpenEvicted++;
                    connection.Drop();
                    continue;
                }

                connection.Tick(now);
            }
        }

        foreach (var connection in open)
        {
            connection.DeliverCompletions();
        }

        open.Clear();
        lock (Gate)
        {
            _tickList = open;
        }
    }
}
