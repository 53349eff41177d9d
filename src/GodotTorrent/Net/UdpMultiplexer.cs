using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Net;

/// <summary>
/// One UDP socket per listen address, shared by every UDP protocol: each datagram goes to the
/// first registered handler that claims its shape. Handlers may register after <see cref="Start"/>
/// (the DHT joins a socket uTP already uses): the list is copied on write, so the receive loop
/// reads it without a lock.
/// </summary>
internal sealed class UdpMultiplexer : IDatagramSocket
{
    private const int MaxDatagram = 65536;

    // A uTP transfer keeps a window of datagrams in flight per peer; the default buffer (about
    // 200 KiB here) overflows at loopback speed. The system caps this at its rmem_max/wmem_max.
    private const int SocketBufferBytes = 4 << 20;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly object _registering = new();
    private volatile IDatagramHandler[] _handlers = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _receiving;
    private long _unclaimed;
    private long _sendFailures;

    private UdpMultiplexer(Socket socket, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Datagrams no handler claimed (dropped).</summary>
    public long Unclaimed => Interlocked.Read(ref _unclaimed);

    /// <summary>Datagrams the system refused to send (lost).</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <exception cref="SocketException">The address or port cannot be bound.</exception>
    public static UdpMultiplexer Bind(IPEndPoint local, ILogger logger)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (local.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // IPv4 gets its own socket, as with the TCP listeners.
                socket.DualMode = false;
            }

            socket.ReceiveBufferSize = SocketBufferBytes;
            socket.SendBufferSize = SocketBufferBytes;
            socket.Bind(local);
            return new UdpMultiplexer(socket, logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Takes over a socket bound and configured elsewhere (LSD's multicast sockets); it is disposed with the multiplexer.</summary>
    public static UdpMultiplexer Adopt(Socket socket, ILogger logger) => new(socket, logger);

    public void Register(IDatagramHandler handler)
    {
        lock (_registering)
        {
            _handlers = [.. _handlers, handler];
        }
    }

    public void Start() => _receiving ??= Task.Run(ReceiveLoopAsync);

    public bool Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
            return true;
        }
        catch (SocketException e)
        {
            Interlocked.Increment(ref _sendFailures);
            _logger.LogTrace(e, "UDP send to {EndPoint} failed", to);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_receiving is not null)
        {
            await _receiving.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[MaxDatagram];
        EndPoint any = _socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                var receiving = _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stopping.Token);
                if (!receiving.IsCompleted)
                {
                    EndOfBatch();
                }

                result = await receiving.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // An ICMP "port unreachable" for an earlier send surfaces here on some systems; the socket is fine.
                _logger.LogDebug(e, "UDP receive on {EndPoint} failed", LocalEndPoint);
                continue;
            }

            Dispatch(buffer.AsSpan(0, result.ReceivedBytes), (IPEndPoint)result.RemoteEndPoint);
        }
    }

    private void EndOfBatch()
    {
        foreach (var handler in _handlers)
        {
            if (handler is IDatagramBatchHandler batch)
            {
                try
                {
                    batch.EndOfBatch();
                }
#pragma warning disable CA1031 // As in Dispatch: one protocol's failure must not stop the socket.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _logger.LogDebug(e, "{Handler} failed at the end of a batch", handler.GetType().Name);
                }
            }
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        foreach (var handler in _handlers)
        {
            if (handler.Claims(datagram, from))
            {
                try
                {
                    handler.Receive(datagram, from);
                }
#pragma warning disable CA1031 // One protocol's bad datagram must not stop the socket for the others.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _logger.LogDebug(e, "A {Handler} datagram from {EndPoint} failed", handler.GetType().Name, from);
                }

                return;
            }
        }

        Interlocked.Increment(ref _unclaimed);
    }
}
