using GodotTorrent.Transport;
using GodotTorrent.Wire;

namespace GodotTorrent.Swarm;

/// <summary>The BEP 3 handshake over a fresh connection, before the engine loop takes the peer over.</summary>
/// <remarks>
/// Awaits keep the caller's context: on the thread pool that changes nothing, and in a simulation
/// it keeps the continuations on the stepped scheduler (a task's <c>ConfigureAwait(false)</c>
/// continuation would go to the thread pool there).
/// </remarks>
internal static class PeerHandshaker
{
    /// <summary>What we offer: the extension protocol (BEP 10) and the fast extension (BEP 6).</summary>
    public static HandshakeReserved OurReserved { get; } = HandshakeReserved.Create(extensionProtocol: true, fastExtension: true, dht: false);

    public static async Task SendHandshakeAsync(IPeerConnectionStream stream, Id20 infoHash, PeerId peerId, CancellationToken cancellationToken)
    {
        var bytes = new byte[Handshake.Length];
        Span<byte> hash = stackalloc byte[Id20.Length];
        infoHash.CopyTo(hash);
        Handshake.Create(OurReserved, hash, peerId).WriteTo(bytes);
        await stream.SendAsync(bytes, cancellationToken).ConfigureAwait(true);
    }

    /// <summary>Dials out: sends ours, reads theirs, checks it names the same torrent.</summary>
    public static async Task<Handshake> HandshakeOutgoingAsync(IPeerConnectionStream stream, Id20 infoHash, PeerId peerId, CancellationToken cancellationToken)
    {
        await SendHandshakeAsync(stream, infoHash, peerId, cancellationToken).ConfigureAwait(true);
        var reply = new byte[Handshake.Length];
        await ReadExactlyAsync(stream, reply, cancellationToken).ConfigureAwait(true);
        var handshake = Handshake.Parse(reply);
        if (handshake.InfoHash != infoHash)
        {
            throw new PeerProtocolException(ErrorCode.InfoHashMismatch, "The peer answered for another torrent.");
        }

        return handshake;
    }

    public static async Task ReadExactlyAsync(IPeerConnectionStream stream, Memory<byte> buffer, CancellationToken cancellationToken)
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
