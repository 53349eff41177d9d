using System.Net;
using System.Net.Sockets;

namespace GodotTorrent.Net.Utp;

/// <summary>
/// One uTP connection (BEP 29): a reliable, ordered byte stream over datagrams with LEDBAT
/// congestion control, seen by the engine as any other <see cref="IPeerConnectionStream"/>.
/// All state is guarded by the manager's lock; callers' awaits complete outside it. The three
/// partial files hold the stream API and lifecycle (here), what arrives (Receive) and what
/// leaves (Send).
/// </summary>
internal sealed partial class UtpConnection : IPeerConnectionStream
{
    /// <summary>The most bytes the application may queue unsent, and the receive window we advertise at most.</summary>
    public const int BufferLimit = 1 << 20;

    private const int MaxSynTransmissions = 3;
    private const int MaxFinTransmissions = 3;
    private const int MaxConsecutiveTimeouts = 6;
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(29);
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(2);

    private readonly UtpSocketManager _manager;
    private readonly object _gate;
    private readonly UtpWaiter<int> _reader;
    private readonly UtpWaiter<bool> _writer;
    private readonly UtpWaiter<IPeerConnectionStream> _connecting;
    private readonly ByteRing _unsent = new(BufferLimit);
    private readonly ByteRing _unread = new(BufferLimit);
    private Memory<byte> _readInto;
    private ReadOnlyMemory<byte> _writeFrom;
    private Exception? _failure;
    private bool _disposed;

    private UtpConnection(UtpSocketManager manager, IPEndPoint remote, ushort receiveId, ushort sendId, UtpState state, int packetSize)
    {
        _manager = manager;
        _gate = manager.Gate;
        RemoteEndPoint = remote;
        LocalEndPoint = manager.LocalEndPoint;
        ReceiveId = receiveId;
        SendId = sendId;
        State = state;
        _reader = new UtpWaiter<int>(manager.Inline);
        _writer = new UtpWaiter<bool>(manager.Inline);
        _connecting = new UtpWaiter<IPeerConnectionStream>(manager.Inline);
        // Ethernet-sized packets until the peer says it takes larger ones (AcceptLargePackets):
        // libtorrent drops larger datagrams, and libutp (Transmission) drops SYNs with unknown extensions.
        _largePacketSize = packetSize;
        _packetSize = Math.Min(packetSize, UtpPacketSizes.Standard(remote.AddressFamily));
        _window = new LedbatWindow(_packetSize, BufferLimit * 4L, manager.TargetDelay);
        long now = manager.NowMicros();
        _lastReceivedMicros = now;
        _lastSentMicros = now;
        CreatedMicros = now;
    }

    public IPEndPoint RemoteEndPoint { get; }

    public IPEndPoint LocalEndPoint { get; }

    public Session.PeerTransport Transport => Session.PeerTransport.Utp;

    /// <summary>The id peers put on packets to us.</summary>
    public ushort ReceiveId { get; }

    /// <summary>The id we put on packets to the peer.</summary>
    public ushort SendId { get; }

    public UtpState State { get; private set; }

    public long CreatedMicros { get; }

    /// <summary>In the manager's end-of-batch list (under the lock).</summary>
    public bool FlushQueued { get; set; }

    /// <summary>True for a connection a peer opened that has not sent data yet (counts against the half-open limit).</summary>
    public bool HalfOpen { get; private set; }

    /// <summary>The congestion window, for tests and statistics.</summary>
    internal LedbatWindow Window => _window;

    /// <summary>Opens a connection to <paramref name="remote"/>: sends the SYN; the task completes when the peer answers.</summary>
    public static ValueTask<IPeerConnectionStream> Connect(UtpSocketManager manager, IPEndPoint remote, ushort receiveId, int packetSize, ushort firstSequence, CancellationToken cancellationToken, out UtpConnection connection)
    {
        // BEP 29: the initiator sends with the id one above the one it receives on.
        connection = new UtpConnection(manager, remote, receiveId, (ushort)(receiveId + 1), UtpState.SynSent, packetSize);
        var self = connection;
        var pending = connection._connecting.Arm();
        connection._connecting.CancelWith(() => self.CancelConnect(cancellationToken), cancellationToken);
        connection.StartSequence(firstSequence);
        connection.QueueControl(UtpPacketType.Syn);
        connection.SendPackets();
        return pending;
    }

    /// <summary>Answers a peer's SYN: the connection exists from now on and the peer's data may follow.</summary>
    public static UtpConnection Accept(UtpSocketManager manager, IPEndPoint remote, in UtpHeader syn, int packetSize, ushort firstSequence)
    {
        var connection = new UtpConnection(manager, remote, (ushort)(syn.ConnectionId + 1), syn.ConnectionId, UtpState.Connected, packetSize)
        {
            HalfOpen = true,
        };
        connection.StartSequence(firstSequence);
        connection._ackNumber = syn.SequenceNumber;
        connection._peerWindow = syn.WindowSize;
        connection.NoteTimestamp(syn.Timestamp);
        connection.SendAck();
        return connection;
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ValueTask<int> pending;
        lock (_gate)
        {
            if (_unread.Count > 0)
            {
                bool wasClosed = AdvertisedWindow() < _packetSize;
                int read = _unread.Read(buffer.Span);
                if (wasClosed && AdvertisedWindow() >= _packetSize && State == UtpState.Connected)
                {
                    // The peer stopped at our zero window: tell it there is room again.
                    SendAck();
                }

                return new ValueTask<int>(read);
            }

            if (_failure is { } failure)
            {
                return ValueTask.FromException<int>(failure);
            }

            if (_endOfStream || _disposed)
            {
                return new ValueTask<int>(0);
            }

            if (buffer.IsEmpty)
            {
                return new ValueTask<int>(0);
            }

            _readInto = buffer;
            pending = _reader.Arm();
            _reader.FailOnCancel(_gate, cancellationToken);
        }

        return pending;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ValueTask pending;
        lock (_gate)
        {
            if (_failure is { } failure)
            {
                return ValueTask.FromException(failure);
            }

            if (_disposed || _finQueued)
            {
                return ValueTask.FromException(new ObjectDisposedException(nameof(UtpConnection)));
            }

            int written = _unsent.Write(data.Span);
            data = data[written..];
            if (State == UtpState.Connected)
            {
                SendPackets();
            }

            if (data.IsEmpty)
            {
                return ValueTask.CompletedTask;
            }

            _writeFrom = data;
            pending = _writer.ArmWithoutResult();
            _writer.FailOnCancel(_gate, cancellationToken);
        }

        return pending;
    }

    /// <summary>Closes at once: a RESET to the peer, pending reads and writes fail.</summary>
    public void Abort()
    {
        lock (_gate)
        {
            if (State != UtpState.Closed)
            {
                if (State != UtpState.SynSent)
                {
                    SendControlNow(UtpPacketType.Reset);
                }

                Close(new SocketException((int)SocketError.OperationAborted));
            }

            _disposed = true;
        }

        DeliverCompletions();
    }

    /// <summary>
    /// Closes gracefully: what the application queued still goes out, then a FIN; the manager
    /// keeps the connection until the FIN is acked or gives up (bounded), without holding the caller.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _reader.Fail(new ObjectDisposedException(nameof(UtpConnection)));
                _writer.Fail(new ObjectDisposedException(nameof(UtpConnection)));
                if (State == UtpState.Connected)
                {
                    _finQueued = true;
                    SendPackets();
                }
                else if (State != UtpState.Closed)
                {
                    Close(new ObjectDisposedException(nameof(UtpConnection)));
                }
            }
        }

        DeliverCompletions();
        return ValueTask.CompletedTask;
    }

    /// <summary>Forgets a half-open connection without a word (a flood's SYNs get no RESET back). Under the lock.</summary>
    public void Drop() => Close(new SocketException((int)SocketError.ConnectionAborted));

    /// <summary>Refuses the connection with a RESET. Under the lock.</summary>
    public void Reset()
    {
        SendControlNow(UtpPacketType.Reset);
        Close(new SocketException((int)SocketError.ConnectionReset));
    }

    /// <summary>Completes every await decided under the lock; call after releasing it.</summary>
    public void DeliverCompletions()
    {
        _connecting.Deliver();
        _reader.Deliver();
        _writer.Deliver();
    }

    /// <summary>Timers, under the lock: resends, delayed acks, keep-alives, time-outs.</summary>
    public void Tick(long nowMicros)
    {
        if (State == UtpState.Closed)
        {
            return;
        }

        if (nowMicros - _lastReceivedMicros > (long)IdleTimeout.TotalMicroseconds)
        {
            Close(new SocketException((int)SocketError.TimedOut));
            return;
        }

        CheckTimeout(nowMicros);
        if (State == UtpState.Closed)
        {
            return;
        }

        // A keep-alive is an ack sent after long silence.
        _ackPending |= State == UtpState.Connected && nowMicros - _lastSentMicros > (long)KeepAliveInterval.TotalMicroseconds;
        FlushOwed();
    }

    /// <summary>At the end of a batch of datagrams, under the lock: the owed ack, and the waiting reader's data.</summary>
    public void FlushDeferred()
    {
        FlushQueued = false;
        FlushOwed();
    }

    private void FlushOwed()
    {
        if (State == UtpState.Closed)
        {
            return;
        }

        FillReader();
        if (_ackPending)
        {
            SendAck();
        }
    }

    /// <summary>Ends the connection, under the lock: pending operations fail with <paramref name="error"/> (null: clean end) and the manager forgets it.</summary>
    private void Close(Exception? error)
    {
        if (State == UtpState.Closed)
        {
            return;
        }

        State = UtpState.Closed;
        _failure ??= error;
        var failure = error ?? new ObjectDisposedException(nameof(UtpConnection));
        _connecting.Fail(error ?? new SocketException((int)SocketError.ConnectionRefused));
        _writer.Fail(failure);
        if (error is not null)
        {
            _reader.Fail(error);
        }
        else
        {
            _reader.Decide(0);
        }

        ReleaseBuffers();
        _manager.Forget(this);
    }

    private void CancelConnect(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (State == UtpState.SynSent)
            {
                Close(new OperationCanceledException(cancellationToken));
            }
        }

        DeliverCompletions();
    }
}
