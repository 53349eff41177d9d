using GodotTorrent.Net.Handshake;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Net.Encryption;

/// <summary>
/// MSE/PE as a negotiation step: any first bytes that are not the plaintext protocol string may
/// be a Diffie-Hellman key (Ya is random, so no prefix tells MSE from garbage: the handshake
/// itself does). Reads the current settings per connection, so a change applies to
/// the next handshake. One per session: it keeps the SKEY table.
/// </summary>
internal sealed class MseDecorator(Func<SessionSettings> settings, RandomBytes random) : IStreamDecorator
{
    private readonly SkeyTable _skeys = new();

    /// <summary>The responder's torrent lookup (for tests of its cost).</summary>
    public SkeyTable Skeys => _skeys;

    public ValueTask<DecoratedStream> AcceptAsync(IPeerConnectionStream stream, ReadOnlyMemory<byte> prefix, ITorrentDirectory torrents, CancellationToken cancellationToken)
    {
        var current = settings();
        return MseHandshake.RespondAsync(stream, prefix, torrents, _skeys, current.AllowedEncryptionLevel, current.PreferRc4, random, cancellationToken);
    }

    public ValueTask<DecoratedStream> ConnectAsync(IPeerConnectionStream stream, Id20 wireHash, ReadOnlyMemory<byte> initialPayload, CancellationToken cancellationToken) =>
        MseHandshake.InitiateAsync(stream, wireHash, settings().AllowedEncryptionLevel, initialPayload, random, cancellationToken);
}
