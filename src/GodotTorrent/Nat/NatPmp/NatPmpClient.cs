using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Nat.NatPmp;

/// <summary>
/// One UDP socket to the gateway: sends a request, retransmits it with doubling waits, and returns
/// the first reply that answers it. Datagrams from anyone but the gateway are dropped unread.
/// </summary>
internal sealed class NatPmpClient : IDisposable
{
    private static readonly IPEndPoint AnyEndPoint = new(IPAddress.Any, 0);

    private readonly Socket _socket;
    private readonly TimeProvider _time;
    private readonly TimeSpan _firstRetransmit;
    private readonly ILogger _logger;
    private readonly byte[] _buffer = new byte[NatPmpMessage.ReceiveBufferSize];

    public NatPmpClient(IPEndPoint gateway, TimeProvider time, TimeSpan firstRetransmit, ILogger logger)
    {
        Gateway = gateway;
        _time = time;
        _firstRetransmit = firstRetransmit;
        _logger = logger;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.Bind(AnyEndPoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    public IPEndPoint Gateway { get; }

    /// <summary>
    /// Sends <paramref name="request"/> up to <paramref name="tries"/> times and waits for its reply.
    /// Socket errors (no route to the gateway) throw; cancellation throws.
    /// </summary>
    public async Task<NatPmpExchange> AskAsync(byte[] request, byte opcode, int internalPort, int tries, CancellationToken cancellationToken)
    {
        bool bad = false;
        var wait = _firstRetransmit;
        for (int attempt = 0; attempt < tries; attempt++, wait *= 2)
        {
            await _socket.SendToAsync(request, SocketFlags.None, Gateway, cancellationToken).ConfigureAwait(true);
            using var timeout = new CancellationTokenSource(wait, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            while (true)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, AnyEndPoint, linked.Token).ConfigureAwait(true);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
                {
                    // Windows reports an ICMP port unreachable, or a datagram too large for the buffer, on the next receive.
                    bad |= e.SocketErrorCode == SocketError.MessageSize;
                    continue;
                }

                // RFC 6886 3.1: only the gateway's replies count; anyone else on the network could send one.
                if (!Gateway.Equals(received.RemoteEndPoint))
                {
                    _logger.LogDebug("NAT-PMP: ignored a datagram from {From}, not the gateway {Gateway}", received.RemoteEndPoint, Gateway);
                    continue;
                }

                var kind = NatPmpMessage.Read(_buffer.AsSpan(0, received.ReceivedBytes), opcode, internalPort, out var reply);
                if (kind == NatPmpReplyKind.Ours)
                {
                    return new NatPmpExchange(reply, bad);
                }

                if (kind == NatPmpReplyKind.Malformed)
                {
                    _logger.LogDebug("NAT-PMP: ignored a malformed reply of {Length} bytes from {Gateway}", received.ReceivedBytes, Gateway);
                    bad = true;
                }
            }
        }

        return new NatPmpExchange(null, bad);
    }

    public void Dispose() => _socket.Dispose();
}
