using GodotTorrent.Wire;

namespace GodotTorrent.Net.Handshake;

/// <summary>
/// A negotiation step that wraps the raw stream before the BitTorrent handshake (MSE/PE:
/// <see cref="Encryption.MseDecorator"/>). The negotiator hands it every incoming connection whose
/// first bytes are not the plaintext protocol string, when the policy allows it.
/// </summary>
internal interface IStreamDecorator
{
    /// <summary>
    /// Finishes the incoming side and returns the decorated stream, positioned at the peer's
    /// BitTorrent handshake. <paramref name="prefix"/> is what was already read from <paramref name="stream"/>.
    /// </summary>
    ValueTask<DecoratedStream> AcceptAsync(IPeerConnectionStream stream, ReadOnlyMemory<byte> prefix, ITorrentDirectory torrents, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the outgoing side for <paramref name="wireHash"/>. <paramref name="initialPayload"/> (our
    /// BitTorrent handshake) travels inside the decorator's handshake; the returned stream is
    /// positioned at the peer's BitTorrent handshake.
    /// </summary>
    ValueTask<DecoratedStream> ConnectAsync(IPeerConnectionStream stream, Id20 wireHash, ReadOnlyMemory<byte> initialPayload, CancellationToken cancellationToken);
}
