using System.Buffers;
using System.Net;
using System.Runtime.InteropServices;
using GodotTorrent.Net;
using GodotTorrent.Session;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;
using GodotTorrent.Wire;

namespace GodotTorrent.Peers.Protocol;

/// <summary>
/// One peer after the handshake: the byte pumps (receive and send run on the thread pool) and
/// the protocol state, which only the engine loop touches.
/// </summary>
internal sealed class PeerConnection : IRemotePeer, IDisposable
{
    // As large as the socket's receive buffer (TcpSocketStream), so one read can take all that waits:
    // each read is one batch for the loop, one trip there and one refill of requests.
    private const int ReceiveBufferSize = 1024 * 1024;

    // A connection starts small and grows when reads fill its buffer: a peer that never sends
    // payload (a silent stranger, a seed's idle neighbour) costs kilobytes, not a megabyte.
    private const int InitialReceiveBufferSize = 16 * 1024;
    private const int InitialSendBufferSize = 4 * 1024;

    // A peer may not make us hold more than this in messages the loop has not handled yet.
    private const long MaxUnhandledBytes = 8L * 1024 * 1024;

    private readonly IPeerConnectionStream _stream;
    private readonly PeerMessageReader _reader;
    private readonly CancellationTokenSource _closing = new();
    private readonly object _sendLock = new();
    private readonly SemaphoreSlim _sendSignal = new(0, 1);
    private ArrayBufferWriter<byte> _sendBuffer = new(InitialSendBufferSize);
    private ArrayBufferWriter<byte> _sendingBuffer = new(InitialSendBufferSize);
    private long _unhandledBytes;
    private TaskCompletionSource? _unhandledDrained;
    private int _closed;

    public PeerConnection(int id, IPeerConnectionStream stream, PeerId peerId, HandshakeReserved reserved, bool outgoing, DateTimeOffset now, PeerWireLimits limits)
    {
        Id = id;
        _stream = stream;
        PeerId = peerId;
        Reserved = reserved;
        IsOutgoing = outgoing;
        ConnectedAt = now;
        LastReceived = now;
        LastSent = now;
        LastUseful = now;
        EndPoint = stream.RemoteEndPoint;
        Client = peerId.ClientName;
        _reader = new PeerMessageReader(limits)
        {
            FastExtension = reserved.FastExtension,
            ExtensionProtocol = reserved.ExtensionProtocol,
        };
    }

    /// <summary>The key the picker and choker know this peer by.</summary>
    public int Id { get; }

    public IPEndPoint EndPoint { get; }

    public PeerId PeerId { get; }

    /// <summary>The reserved bits both sides set.</summary>
    public HandshakeReserved Reserved { get; }

    public bool IsOutgoing { get; }

    /// <summary>How the connection was negotiated: plain, or MSE then plaintext or RC4.</summary>
    public PeerEncryption Encryption { get; init; }

    /// <summary>The peer takes uTP packets of <paramref name="payloadSize"/> bytes (its BEP 10 handshake said so).</summary>
    public void AcceptLargePackets(int payloadSize) => _stream.AcceptLargePackets(payloadSize);

    /// <summary>TCP or uTP.</summary>
    public PeerTransport Transport { get; init; }

    public DateTimeOffset ConnectedAt { get; }

    public string Client { get; set; }

    public PeerCandidate? Candidate { get; set; }

    /// <summary>Why the engine closed the connection, when it did (the pumps only see a closed socket).</summary>
    public (ErrorCode Code, string Reason)? CloseReason { get; set; }

    /// <summary>Called on the send pump after queued bytes went out, so the loop can queue more uploads.</summary>
    public Action<PeerConnection>? OnSendDrained { get; set; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    // Protocol state: engine loop only.
    public bool AmChoking { get; set; } = true;

    public bool AmInterested { get; set; }

    public bool PeerChoking { get; set; } = true;

    public bool PeerInterested { get; set; }

    public Bitfield? Have { get; set; }

    public bool HasAll => Have is { AllSet: true };

    public bool SentBitfield { get; set; }

    /// <summary>
    /// The peer speaks BEP 52 for this torrent: it named the v2 hash, or set the upgrade bit for a
    /// torrent that has one (libtorrent drops a peer that sends hash messages otherwise).
    /// </summary>
    public bool SpeaksV2 { get; init; }

    public bool SentExtensions { get; set; }

    /// <summary>We sent our DHT port (BEP 5), once per connection.</summary>
    public bool SentDhtPort { get; set; }

    /// <summary>The peer told us its DHT port: later port messages are ignored (one node per connection).</summary>
    public bool ReceivedDhtPort { get; set; }

    /// <summary>A magnet's peer told us its pieces before we knew how many there are: kept until the metadata arrives.</summary>
    public List<InboundMessage>? PendingPieceMessages { get; set; }

    /// <summary>Peer exchange with this peer (BEP 11), when both sides offer it.</summary>
    public PexState? Pex { get; set; }

    public ExtensionHandshake? Extensions { get; set; }

    public int HashFailures { get; set; }

    /// <summary>
    /// The endpoint its strikes and bans are kept under: where it accepts connections (the one we
    /// dialled, or the BEP 10 <c>p</c> port it announced), so they outlast its ephemeral ports.
    /// </summary>
    public IPEndPoint StandingEndPoint =>
        IsOutgoing ? EndPoint : Extensions?.ListenPort is int port ? new IPEndPoint(EndPoint.Address, port) : EndPoint;

    /// <summary>Requests sent on this connection: an honest peer never sends more blocks than this.</summary>
    public int RequestsSent { get; private set; }

    /// <summary>Blocks that answered no outstanding request (dropped unwritten).</summary>
    public int UnrequestedBlocks { get; set; }

    public DateTimeOffset LastReceived { get; set; }

    /// <summary>The peer sent a message after its handshake; keep-alives do not count.</summary>
    public bool HeardFrom { get; set; }

    /// <summary>When payload last moved either way or either side was last interested (set once a second).</summary>
    public DateTimeOffset LastUseful { get; set; }

    /// <summary>When payload last moved either way, null if never (set once a second).</summary>
    public DateTimeOffset? LastPayload { get; set; }

    /// <summary>Payload bytes both ways at the last check, to notice movement.</summary>
    public long SeenPayload { get; set; }

    public DateTimeOffset LastSent { get; set; }

    /// <summary>When we last sent this peer a request.</summary>
    public DateTimeOffset? LastRequest { get; set; }

    /// <summary>Blocks we asked this peer for, with when we asked.</summary>
    public Dictionary<long, (BlockRequest Block, DateTimeOffset Sent)> Outstanding { get; } = [];

    /// <summary>Blocks the peer asked us for, in order.</summary>
    public LinkedList<BlockRequest> PeerRequests { get; } = new();

    /// <summary>Disk reads for this peer in flight.</summary>
    public int ReadsInFlight { get; set; }

    public RateMeter Download { get; } = new();

    public RateMeter Upload { get; } = new();

    /// <summary>All bytes received, protocol included.</summary>
    public RateMeter WireDownload { get; } = new();

    /// <summary>All bytes sent, protocol included.</summary>
    public RateMeter WireUpload { get; } = new();

    public RequestQueue? Requests { get; set; }

    public PeerMessageReader Reader => _reader;

    /// <summary>
    /// Reads messages until the connection ends, handing each batch to <paramref name="deliver"/>
    /// (which posts it to the engine loop). Returns why it ended.
    /// </summary>
    public async Task<(ErrorCode Error, string Reason)> ReceiveLoopAsync(Action<PeerConnection, List<InboundMessage>> deliver)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
        int filled = 0;
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                if (Interlocked.Read(ref _unhandledBytes) > MaxUnhandledBytes)
                {
                    // The pumps run on the background runner: on the pool this is the same as false, in a simulation it keeps them on the scheduler.
                    await WaitForLoopAsync().ConfigureAwait(true);
                }

                int space = buffer.Length - filled;
                int read = await _stream.ReceiveAsync(buffer.AsMemory(filled), _closing.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return (ErrorCode.ConnectionClosed, "the peer closed the connection");
                }

                WireDownload.Add(read);
                filled += read;
                int offset = 0;
                List<InboundMessage>? batch = null;
                long batchBytes = 0;
                while (_reader.TryRead(buffer.AsMemory(offset, filled - offset), out var message, out int consumed))
                {
                    offset += consumed;
                    batch ??= [];
                    batch.Add(Copy(message, consumed));
                    batchBytes += consumed;
                }

                if (offset > 0)
                {
                    Buffer.BlockCopy(buffer, offset, buffer, 0, filled - offset);
                    filled -= offset;
                }

                // Grow when the peer filled all the room it had (it is sending fast), and always when
                // one unfinished message fills the buffer (the reader bounds how large that can get).
                if (filled == buffer.Length || (read == space && buffer.Length < ReceiveBufferSize))
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, larger, 0, filled);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                if (batch is not null)
                {
                    Interlocked.Add(ref _unhandledBytes, batchBytes);
                    deliver(this, batch);
                }
            }

            return (ErrorCode.ConnectionClosedLocally, "closed");
        }
        catch (PeerProtocolException e)
        {
            return (e.ErrorCode, e.Message);
        }
        catch (OperationCanceledException)
        {
            return (ErrorCode.ConnectionClosedLocally, "closed");
        }
        catch (Exception e) when (StreamErrors.IsReset(e))
        {
            return (ErrorCode.ConnectionClosed, e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The loop has handled a batch of <paramref name="bytes"/>: the receive pump may read on.</summary>
    public void Handled(long bytes)
    {
        if (Interlocked.Add(ref _unhandledBytes, -bytes) <= MaxUnhandledBytes)
        {
            Interlocked.Exchange(ref _unhandledDrained, null)?.TrySetResult();
        }
    }

    /// <summary>Sends whatever the loop queued, until the connection closes.</summary>
    public async Task SendLoopAsync()
    {
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                // No token: Close wakes the wait instead, because a cancelled semaphore wait resumes through the thread pool (outside a simulation's scheduler).
                await _sendSignal.WaitAsync().ConfigureAwait(true);
                while (true)
                {
                    lock (_sendLock)
                    {
                        if (_sendBuffer.WrittenCount == 0)
                        {
                            break;
                        }

                        (_sendBuffer, _sendingBuffer) = (_sendingBuffer, _sendBuffer);
                    }

                    // The buffer is ours and reset after the send: an encrypting stream may transform it in place.
                    await _stream.SendScratchAsync(MemoryMarshal.AsMemory(_sendingBuffer.WrittenMemory), _closing.Token).ConfigureAwait(false);
                    WireUpload.Add(_sendingBuffer.WrittenCount);
                    _sendingBuffer.ResetWrittenCount();
                }

                OnSendDrained?.Invoke(this);
            }
        }
        catch (Exception e) when (e is OperationCanceledException || StreamErrors.IsReset(e))
        {
            // The receive pump notices the broken connection and reports why.
            Close();
        }
    }

    /// <summary>Queues bytes for sending; <paramref name="write"/> fills the buffer under the send lock.</summary>
    public void Send<TState>(TState state, Action<IBufferWriter<byte>, TState> write)
    {
        if (IsClosed)
        {
            return;
        }

        lock (_sendLock)
        {
            write(_sendBuffer, state);
        }

        if (_sendSignal.CurrentCount == 0)
        {
            try
            {
                _sendSignal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a racing send.
            }
        }
    }

    /// <summary>Bytes queued and not yet handed to the socket.</summary>
    public int QueuedSendBytes
    {
        get
        {
            lock (_sendLock)
            {
                return _sendBuffer.WrittenCount;
            }
        }
    }

    public void SendMessage(PeerMessageType type) => Send(type, static (w, t) => PeerMessageWriter.WriteEmpty(w, t));

    public void SendHave(int piece) => Send(piece, static (w, p) => PeerMessageWriter.WriteIndex(w, PeerMessageType.Have, p));

    public void SendRequest(BlockRequest block)
    {
        RequestsSent++;
        Send(block, static (w, b) => PeerMessageWriter.WriteBlock(w, PeerMessageType.Request, b.Piece, b.Offset, b.Length));
    }

    public void SendCancel(BlockRequest block) => Send(block, static (w, b) => PeerMessageWriter.WriteBlock(w, PeerMessageType.Cancel, b.Piece, b.Offset, b.Length));

    public void SendReject(BlockRequest block) => Send(block, static (w, b) => PeerMessageWriter.WriteBlock(w, PeerMessageType.Reject, b.Piece, b.Offset, b.Length));

    public void SendKeepAlive() => Send(0, static (w, _) => PeerMessageWriter.WriteKeepAlive(w));


    /// <summary>Queues a run of piece messages from one buffer (see <see cref="PeerMessageWriter.WritePieces"/>).</summary>
    public void SendPieces(UploadRun run, ReadOnlyMemory<byte> data) =>
        Send((run, data), static (w, s) => PeerMessageWriter.WritePieces(w, s.run.Piece, s.run.Offset, s.run.BlockLength, s.data.Span));

    public void SendPort(int port) => Send((ushort)port, static (w, p) => PeerMessageWriter.WritePort(w, p));

    public void SendBitfield(Bitfield have) => Send(have, static (w, h) => PeerMessageWriter.WriteBitfield(w, h));

    /// <summary>Sends a BEP 52 hash request, hashes (with <paramref name="hashes"/>) or hash reject.</summary>
    public void SendHashMessage(PeerMessageType type, HashRequest request, byte[]? hashes = null) =>
        Send((type, request, hashes), static (w, s) => PeerMessageWriter.WriteHashMessage(w, s.type, s.request, s.hashes));

    public void SendExtended(byte id, byte[] payload) => Send((id, payload), static (w, s) => PeerMessageWriter.WriteExtended(w, s.id, s.payload));

    /// <summary>Closes the connection; the pumps end and the receive pump reports the reason.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _closing.Cancel();
        _stream.Abort();
        Interlocked.Exchange(ref _unhandledDrained, null)?.TrySetResult();
        if (_sendSignal.CurrentCount == 0)
        {
            try
            {
                _sendSignal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a racing send.
            }
        }
    }

    /// <summary>Frees the pumps' primitives once both pumps have ended.</summary>
    public void Dispose()
    {
        Close();
        _closing.Dispose();
        _sendSignal.Dispose();
    }

    private Task WaitForLoopAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var current = Interlocked.CompareExchange(ref _unhandledDrained, waiter, null) ?? waiter;
        if (Interlocked.Read(ref _unhandledBytes) <= MaxUnhandledBytes || IsClosed)
        {
            current.TrySetResult();
        }

        return current.Task;
    }

    private static InboundMessage Copy(in PeerMessage message, int frameLength)
    {
        byte[]? data = null;
        switch (message.Type)
        {
            case PeerMessageType.Piece:
                // The loop hands this buffer to the disk writer, which returns it to the pool.
                data = BlockPool.Shared.Rent((int)message.Payload.Length);
                message.Payload.CopyTo(data);
                break;
            case PeerMessageType.Bitfield:
            case PeerMessageType.Extended:
            case PeerMessageType.HashRequest or PeerMessageType.Hashes or PeerMessageType.HashReject:
                data = message.Payload.ToArray();
                break;
        }

        int length = message.Type == PeerMessageType.Piece ? (int)message.Payload.Length : message.Length;
        int index = message.Type == PeerMessageType.Port ? message.Port : message.Index;
        return new InboundMessage(message.Type, index, message.Begin, length, message.ExtendedId, data, frameLength);
    }
}
