using GodotTorrent.Wire;
using WireHandshake = GodotTorrent.Wire.Handshake;

namespace GodotTorrent.Net.Handshake;

/// <summary>
/// Turns a fresh connection, either direction, into a handshaken one: recognise the first bytes
/// (plaintext, or a decorator such as MSE later), find the torrent, exchange the BEP 3 handshake.
/// Runs off the engine loop; the caller hands the result to the torrent. On any failure it throws
/// and the caller closes the stream.
/// </summary>
internal sealed class ConnectionNegotiator(PeerId ourPeerId, ITorrentDirectory torrents, TimeProvider time, IReadOnlyList<IStreamDecorator>? decorators = null)
{
    private static ReadOnlySpan<byte> PlaintextPrefix => "\u0013BitTorrent protocol"u8;

    private readonly IReadOnlyList<IStreamDecorator> _decorators = decorators ?? [];

    /// <summary>What we offer: the extension protocol (BEP 10) and the fast extension (BEP 6).</summary>
    public static HandshakeReserved OurReserved { get; } = HandshakeReserved.Create(extensionProtocol: true, fastExtension: true, dht: false);

    /// <summary>An incoming connection: the peer speaks first and names the torrent.</summary>
    /// <exception cref="PeerProtocolException">Not a protocol we speak, an unknown torrent, a closed connection, or the time-out.</exception>
    public async Task<NegotiatedConnection> AcceptAsync(IPeerConnectionStream stream, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The time-out runs on the injected clock, so tests drive it without waiting.
        using var timer = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            var header = new byte[WireHandshake.Length];
            var prefix = header.AsMemory(0, PlaintextPrefix.Length);
            await ReadExactlyAsync(stream, prefix, deadline.Token).ConfigureAwait(true);
            if (!prefix.Span.SequenceEqual(PlaintextPrefix))
            {
                stream = await DecorateIncomingAsync(stream, prefix, deadline.Token).ConfigureAwait(true);
                await ReadExactlyAsync(stream, prefix, deadline.Token).ConfigureAwait(true);
            }

            await ReadExactlyAsync(stream, header.AsMemory(prefix.Length, WireHandshake.HeaderLength - prefix.Length), deadline.Token).ConfigureAwait(true);
            WireHandshake.ParseHeader(header, out _, out var infoHash);
            if (!torrents.AcceptsPeers(infoHash))
            {
                throw new PeerProtocolException(ErrorCode.InfoHashMismatch, $"No torrent here takes peers for {infoHash}.");
            }

            await SendAsync(stream, infoHash, deadline.Token).ConfigureAwait(true);
            await ReadExactlyAsync(stream, header.AsMemory(WireHandshake.HeaderLength), deadline.Token).ConfigureAwait(true);
            return new NegotiatedConnection(stream, WireHandshake.Parse(header));
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PeerProtocolException(ErrorCode.ConnectTimeout, "The handshake did not finish in time.");
        }
    }

    /// <summary>An outgoing connection to a peer of the torrent known on the wire by <paramref name="wireHash"/>.</summary>
    /// <exception cref="PeerProtocolException">The peer answered for another torrent, closed the connection, or the time-out.</exception>
    public async Task<NegotiatedConnection> ConnectAsync(IPeerConnectionStream stream, Id20 wireHash, bool encrypted, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The time-out runs on the injected clock, so tests drive it without waiting.
        using var timer = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            foreach (var decorator in _decorators)
            {
                if (await decorator.ConnectAsync(stream, wireHash, deadline.Token).ConfigureAwait(true) is { } decorated)
                {
                    stream = decorated;
                    break;
                }
            }

            await SendAsync(stream, wireHash, deadline.Token).ConfigureAwait(true);
            var reply = new byte[WireHandshake.Length];
            await ReadExactlyAsync(stream, reply, deadline.Token).ConfigureAwait(true);
            var handshake = WireHandshake.Parse(reply);
            if (handshake.InfoHash != wireHash)
            {
                throw new PeerProtocolException(ErrorCode.InfoHashMismatch, "The peer answered for another torrent.");
            }

            return new NegotiatedConnection(stream, handshake);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PeerProtocolException(ErrorCode.ConnectTimeout, "The handshake did not finish in time.");
        }
    }

    private async ValueTask<IPeerConnectionStream> DecorateIncomingAsync(IPeerConnectionStream stream, ReadOnlyMemory<byte> prefix, CancellationToken cancellationToken)
    {
        foreach (var decorator in _decorators)
        {
            int need = Math.Max(decorator.PrefixLength, prefix.Length);
            var seen = new byte[need];
            prefix.CopyTo(seen);
            await ReadExactlyAsync(stream, seen.AsMemory(prefix.Length), cancellationToken).ConfigureAwait(true);
            if (decorator.Claims(seen))
            {
                return await decorator.AcceptAsync(stream, seen, torrents, cancellationToken).ConfigureAwait(true);
            }

            // Bytes read for this decorator are replayed to the next one.
            stream = new PrefixedStream(stream, seen);
            prefix = ReadOnlyMemory<byte>.Empty;
        }

        throw new PeerProtocolException(ErrorCode.InvalidHandshake, "The connection does not start with the BitTorrent protocol (encrypted or another protocol).");
    }

    private async Task SendAsync(IPeerConnectionStream stream, Id20 wireHash, CancellationToken cancellationToken)
    {
        var bytes = new byte[WireHandshake.Length];
        new WireHandshake(OurReserved, wireHash, ourPeerId).WriteTo(bytes);
        await stream.SendAsync(bytes, cancellationToken).ConfigureAwait(true);
    }

    private static async Task ReadExactlyAsync(IPeerConnectionStream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int read = await stream.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(true);
            if (read == 0)
            {
                throw new PeerProtocolException(ErrorCode.InvalidHandshake, "The peer closed the connection during the handshake.");
            }

            buffer = buffer[read..];
        }
    }
}
