using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace GodotTorrent.Trackers;

/// <summary>
/// A UDP tracker (BEP 15). One connected socket per tracker, so the OS drops datagrams from
/// anyone else; one transaction at a time, so a reply is matched by its transaction id alone
/// (replies with another id are stale or forged and ignored). A connection id is reused for
/// <see cref="TrackerOptions.UdpConnectionIdLifetime"/>; lost packets are retried after
/// base·2^n (BEP 15: 15 s·2^n, n up to 8), the time-outs running on the injected clock.
/// </summary>
internal sealed class UdpTrackerClient : ITrackerClient
{
    private const int MaxDatagram = 65_536;

    private readonly TrackerOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _receiveBuffer = new byte[MaxDatagram];
    private Socket? _socket;
    private long _connectionId;
    private DateTimeOffset _connectionIdExpires = DateTimeOffset.MinValue;
    private bool _disposed;

    public UdpTrackerClient(Uri uri, TrackerOptions options, TimeProvider time)
    {
        if (uri.Port <= 0 || string.IsNullOrEmpty(uri.Host))
        {
            throw new TrackerException(ErrorCode.UnsupportedTrackerUrl, $"{uri} names no host and port");
        }

        Uri = uri;
        _options = options;
        _time = time;
    }

    public Uri Uri { get; }

    /// <summary>How many connect exchanges succeeded (for tests of connection id reuse).</summary>
    public int ConnectCount { get; private set; }

    public async Task<AnnounceResponse> AnnounceAsync(AnnounceRequest request, CancellationToken cancellationToken)
    {
        var (reply, ipv6) = await TransactAsync(
            UdpTrackerProtocol.ActionAnnounce,
            (connectionId, transactionId) => UdpTrackerProtocol.AnnounceRequest(connectionId, transactionId, request),
            cancellationToken).ConfigureAwait(false);
        return UdpTrackerProtocol.ParseAnnounce(reply, ipv6, _options.MaxPeersPerReply);
    }

    public async Task<ScrapeResponse> ScrapeAsync(ReadOnlyMemory<byte> infoHash, CancellationToken cancellationToken)
    {
        var (reply, _) = await TransactAsync(
            UdpTrackerProtocol.ActionScrape,
            (connectionId, transactionId) => UdpTrackerProtocol.ScrapeRequest(connectionId, transactionId, infoHash.Span),
            cancellationToken).ConfigureAwait(false);
        return UdpTrackerProtocol.ParseScrape(reply);
    }

    public void Dispose()
    {
        _disposed = true;
        _socket?.Dispose();
    }

    private async Task<(byte[] Reply, bool IPv6)> TransactAsync(int action, Func<long, int, byte[]> build, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var socket = _socket ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
            bool ipv6 = socket.AddressFamily == AddressFamily.InterNetworkV6
                && !((IPEndPoint)socket.RemoteEndPoint!).Address.IsIPv4MappedToIPv6;

            // BEP 15: one retry counter across the connect and the request it serves.
            int attempt = 0;
            while (true)
            {
                if (_time.GetUtcNow() >= _connectionIdExpires)
                {
                    int connectId = NewTransactionId();
                    byte[]? connectReply = await ExchangeAsync(socket, UdpTrackerProtocol.ConnectRequest(connectId), connectId, UdpTrackerProtocol.ActionConnect, attempt, cancellationToken).ConfigureAwait(false);
                    if (connectReply is null)
                    {
                        attempt = NextAttempt(attempt);
                        continue;
                    }

                    _connectionId = UdpTrackerProtocol.ParseConnect(connectReply);
                    _connectionIdExpires = _time.GetUtcNow() + _options.UdpConnectionIdLifetime;
                    ConnectCount++;
                }

                int transactionId = NewTransactionId();
                byte[]? reply = await ExchangeAsync(socket, build(_connectionId, transactionId), transactionId, action, attempt, cancellationToken).ConfigureAwait(false);
                if (reply is null)
                {
                    attempt = NextAttempt(attempt);
                    continue;
                }

                return (reply, ipv6);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private int NextAttempt(int attempt)
    {
        if (attempt >= _options.UdpMaxRetries)
        {
            throw new TrackerException(ErrorCode.TrackerTimeout, $"The UDP tracker did not answer after {attempt + 1} attempts");
        }

        return attempt + 1;
    }

    /// <summary>Sends one request and waits base·2^attempt for its reply; null on time-out.</summary>
    private async Task<byte[]?> ExchangeAsync(Socket socket, byte[] packet, int transactionId, int action, int attempt, CancellationToken cancellationToken)
    {
        var wait = _options.UdpRetryBase * Math.Pow(2, Math.Min(attempt, 16));
        using var timeout = new CancellationTokenSource(wait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await socket.SendAsync(packet, SocketFlags.None, linked.Token).ConfigureAwait(false);
            while (true)
            {
                int length = await socket.ReceiveAsync(_receiveBuffer, SocketFlags.None, linked.Token).ConfigureAwait(false);
                var reply = _receiveBuffer.AsSpan(0, length);
                if (length < UdpTrackerProtocol.ReplyHeaderLength || BinaryPrimitives.ReadInt32BigEndian(reply[4..]) != transactionId)
                {
                    continue; // not an answer to this request: stale, duplicated or forged
                }

                int replyAction = BinaryPrimitives.ReadInt32BigEndian(reply);
                if (replyAction == UdpTrackerProtocol.ActionError)
                {
                    string message = TrackerText.Clean(reply[UdpTrackerProtocol.ReplyHeaderLength..]);
                    throw new TrackerException(ErrorCode.TrackerFailure, message.Length > 0 ? message : "The tracker refused the request");
                }

                if (replyAction != action)
                {
                    throw new TrackerException(ErrorCode.InvalidTrackerResponse, $"The tracker answered action {replyAction} to action {action}");
                }

                return reply.ToArray();
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException e)
        {
            // A connected UDP socket reports ICMP port-unreachable as ConnectionRefused: nobody listens there.
            throw new TrackerException(ErrorCode.TrackerConnectFailed, $"The UDP tracker could not be reached: {e.Message}", innerException: e);
        }
    }

    private async Task<Socket> OpenAsync(CancellationToken cancellationToken)
    {
        IPAddress? address;
        if (!IPAddress.TryParse(Uri.DnsSafeHost, out address))
        {
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(Uri.DnsSafeHost, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new TrackerException(ErrorCode.TrackerConnectFailed, $"The tracker's name {Uri.DnsSafeHost} did not resolve: {e.Message}", innerException: e);
            }

            // IPv4 first: most trackers are reachable there, and a v4 reply is smaller.
            address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6);
            if (address is null)
            {
                throw new TrackerException(ErrorCode.TrackerConnectFailed, $"The tracker's name {Uri.DnsSafeHost} has no address");
            }
        }

        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(new IPEndPoint(address, Uri.Port));
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new TrackerException(ErrorCode.TrackerConnectFailed, $"The UDP tracker {address}:{Uri.Port} could not be reached: {e.Message}", innerException: e);
        }
    }

    private static int NewTransactionId() => BinaryPrimitives.ReadInt32LittleEndian(RandomNumberGenerator.GetBytes(4));
}
