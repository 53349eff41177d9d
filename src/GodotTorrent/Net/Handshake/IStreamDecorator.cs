using GodotTorrent.Wire;

namespace GodotTorrent.Net.Handshake;

/// <summary>
/// A negotiation step that wraps the raw stream before the BitTorrent handshake (MSE/PE joins
/// here in step 09). The negotiator offers each incoming connection's first bytes to every
/// decorator in order; a connection no decorator claims must be plaintext or it is dropped.
/// </summary>
internal interface IStreamDecorator
{
    /// <summary>Bytes of the connection's start this decorator needs to see to recognise it.</summary>
    int PrefixLength { get; }

    /// <summary>True when these first bytes are this decorator's to handle (they are never the plaintext protocol string).</summary>
    bool Claims(ReadOnlySpan<byte> prefix);

    /// <summary>
    /// Finishes the incoming side and returns the decorated stream, positioned at the peer's
    /// BitTorrent handshake. <paramref name="prefix"/> is what was already read from <paramref name="stream"/>.
    /// </summary>
    ValueTask<IPeerConnectionStream> AcceptAsync(IPeerConnectionStream stream, ReadOnlyMemory<byte> prefix, ITorrentDirectory torrents, CancellationToken cancellationToken);

    /// <summary>Starts the outgoing side for <paramref name="wireHash"/>; null when this decorator is not wanted for the connection.</summary>
    ValueTask<IPeerConnectionStream?> ConnectAsync(IPeerConnectionStream stream, Id20 wireHash, CancellationToken cancellationToken);
}
