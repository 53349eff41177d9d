using System.Buffers;
using System.Net;
using System.Net.Sockets;
using GodotTorrent.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Session;

/// <summary>
/// A hand-written peer on 127.0.0.1 speaking the plain BEP 3 wire protocol (no extensions), for
/// behaviour the engine must survive: it claims every piece, unchokes whoever connects, and answers
/// each request with whatever <c>serve</c> returns (corrupted data, for instance).
/// </summary>
internal sealed class FakePeer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly TorrentInfo _torrent;
    private readonly Func<int, int, int, byte[]> _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private long _blocksServed;

    public FakePeer(TorrentInfo torrent, Func<int, int, int, byte[]> serve, string peerIdPrefix = "-FK0001-")
    {
        _torrent = torrent;
        _serve = serve;
        PeerId = PeerId.Generate(peerIdPrefix);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public PeerId PeerId { get; }

    public long BlocksServed => Interlocked.Read(ref _blocksServed);

    /// <summary>Dials <paramref name="endPoint"/> and exchanges handshakes as <paramref name="peerId"/>; the socket is the caller's.</summary>
    public static async Task<Socket> ConnectAsync(IPEndPoint endPoint, TorrentInfo torrent, PeerId peerId, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            await socket.SendAsync(HandshakeBytes(torrent, peerId), cancellationToken);
            var reply = new byte[Handshake.Length];
            await ReadExactlyAsync(socket, reply, cancellationToken);
            Assert.Equal(new Id20(torrent.InfoHashes.V1!.Span), Handshake.Parse(reply).InfoHash);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Dials with the extension protocol on and returns the engine's BEP 10 handshake.</summary>
    public static async Task<ExtensionHandshake> ReadExtensionHandshakeAsync(IPEndPoint endPoint, TorrentInfo torrent, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint, cancellationToken);
        var hello = new byte[Handshake.Length];
        Handshake.Create(HandshakeReserved.Create(extensionProtocol: true, fastExtension: true, dht: false), torrent.InfoHashes.V1!.Span, PeerId.Generate("-FK0002-")).WriteTo(hello);
        await socket.SendAsync(hello, cancellationToken);
        var reply = new byte[Handshake.Length];
        await ReadExactlyAsync(socket, reply, cancellationToken);
        var header = new byte[4];
        while (true)
        {
            await ReadExactlyAsync(socket, header, cancellationToken);
            int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header);
            var body = new byte[length];
            await ReadExactlyAsync(socket, body, cancellationToken);
            if (length >= 2 && body[0] == (byte)PeerMessageType.Extended && body[1] == 0)
            {
                return ExtensionHandshake.Parse(body.AsSpan(2));
            }
        }
    }

    public static byte[] HandshakeBytes(TorrentInfo torrent, PeerId peerId)
    {
        var bytes = new byte[Handshake.Length];
        Handshake.Create(HandshakeReserved.Create(extensionProtocol: false, fastExtension: false, dht: false), torrent.InfoHashes.V1!.Span, peerId).WriteTo(bytes);
        return bytes;
    }

    public static async Task ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int read = await socket.ReceiveAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("closed");
            }

            buffer = buffer[read..];
        }
    }

    /// <summary>Reads until the other side closes the connection; false when it is still open at the deadline.</summary>
    public static async Task<bool> WaitClosedAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, cancellationToken) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
            await Task.WhenAll(_connections.ToArray());
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(Task.Run(() => ServeAsync(socket)));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var token = _stop.Token;
        try
        {
            var header = new byte[Handshake.Length];
            await ReadExactlyAsync(socket, header, token);
            await socket.SendAsync(HandshakeBytes(_torrent, PeerId), token);

            var output = new ArrayBufferWriter<byte>();
            PeerMessageWriter.WriteBitfield(output, new Bitfield(_torrent.PieceCount, value: true));
            PeerMessageWriter.WriteEmpty(output, PeerMessageType.Unchoke);
            await socket.SendAsync(output.WrittenMemory, token);

            var reader = new PeerMessageReader();
            reader.SetPieceGeometry(_torrent);
            var buffer = new byte[256 * 1024];
            int filled = 0;
            while (true)
            {
                int read = await socket.ReceiveAsync(buffer.AsMemory(filled), token);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                int offset = 0;
                output.ResetWrittenCount();
                while (reader.TryRead(buffer.AsMemory(offset, filled - offset), out var message, out int consumed))
                {
                    offset += consumed;
                    if (message.Type == PeerMessageType.Request)
                    {
                        var data = _serve(message.Index, message.Begin, message.Length);
                        PeerMessageWriter.WritePiece(output, message.Index, message.Begin, data);
                        Interlocked.Increment(ref _blocksServed);
                    }
                }

                Buffer.BlockCopy(buffer, offset, buffer, 0, filled - offset);
                filled -= offset;
                if (output.WrittenCount > 0)
                {
                    await socket.SendAsync(output.WrittenMemory, token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException or PeerProtocolException)
        {
            // The engine hung up (a ban, for instance) or the test is over.
        }
    }
}
