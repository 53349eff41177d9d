using GodotTorrent.Net.Encryption;
using GodotTorrent.Session;
using GodotTorrent.Wire;
using WireHandshake = GodotTorrent.Wire.Handshake;

namespace GodotTorrent.Net.Handshake;

/// <summary>
/// Turns a fresh connection, either direction, into a handshaken one: recognise the first bytes
/// (plaintext, or MSE), apply the encryption policy, find the torrent, exchange the BEP 3
/// handshake. Runs off the engine loop; the caller hands the result to the torrent. On any
/// failure it throws and the caller closes the stream.
/// </summary>
internal sealed class ConnectionNegotiator
{
    private readonly PeerId _ourPeerId;
    private readonly ITorrentDirectory _torrents;
    private readonly TimeProvider _time;
    private readonly Func<SessionSettings> _settings;
    private readonly MseDecorator _mse;

    /// <param name="ourPeerId">The peer id our handshakes carry.</param>
    /// <param name="torrents">Where incoming handshakes find their torrent.</param>
    /// <param name="time">The clock of the handshake time-out.</param>
    /// <param name="settings">Read at each handshake, so a change applies to the next connection.</param>
    /// <param name="random">MSE's keys and padding (seeded in simulation).</param>
    public ConnectionNegotiator(PeerId ourPeerId, ITorrentDirectory torrents, TimeProvider time, Func<SessionSettings> settings, RandomBytes random)
    {
        _ourPeerId = ourPeerId;
        _torrents = torrents;
        _time = time;
        _settings = settings;
        _mse = new MseDecorator(settings, random);
    }

    /// <summary>The MSE step (its SKEY table is visible to tests).</summary>
    internal MseDecorator Mse => _mse;

    /// <summary>What we offer: the extension protocol (BEP 10) and the fast extension (BEP 6).</summary>
    public static HandshakeReserved OurReserved { get; } = HandshakeReserved.Create(extensionProtocol: true, fastExtension: true, dht: false);

    private static HandshakeReserved OurReservedWithDht { get; } = HandshakeReserved.Create(extensionProtocol: true, fastExtension: true, dht: true);

    /// <summary>What our handshakes offer now: <see cref="OurReserved"/>, plus the DHT bit (BEP 5) while the DHT is on.</summary>
    public HandshakeReserved Offered => _settings().EnableDht ? OurReservedWithDht : OurReserved;

    /// <summary>An incoming connection: the peer speaks first and names the torrent.</summary>
    /// <exception cref="PeerProtocolException">Not a protocol we speak, refused by the encryption policy, a failed MSE handshake, an unknown torrent, a closed connection, or the time-out.</exception>
    public async Task<NegotiatedConnection> AcceptAsync(IPeerConnectionStream stream, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The time-out runs on the injected clock, so tests drive it without waiting.
        using var timer = new CancellationTokenSource(timeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            var policy = _settings().IncomingEncryption;
            var header = new byte[WireHandshake.Length];
            var prefix = header.AsMemory(0, WireHandshake.ProtocolPrefix.Length);
            await ReadExactlyAsync(stream, prefix, deadline.Token).ConfigureAwait(true);
            var encryption = PeerEncryption.None;
            Id20? named = null;
            if (prefix.Span.SequenceEqual(WireHandshake.ProtocolPrefix))
            {
                if (policy == EncryptionPolicy.Forced)
                {
                    throw new PeerProtocolException(ErrorCode.EncryptionRequired, "A plaintext handshake, and incoming encryption is forced.");
                }
            }
            else
            {
                // Refused before any Diffie-Hellman work: a stranger's bytes cost us nothing here.
                if (policy == EncryptionPolicy.Disabled)
                {
                    throw new PeerProtocolException(ErrorCode.EncryptionRequired, "Not a plaintext handshake (MSE or another protocol), and incoming encryption is disabled.");
                }

                // MSE reads on from these bytes (it copies them); the header buffer is then reused.
                var decorated = await _mse.AcceptAsync(stream, prefix, _torrents, deadline.Token).ConfigureAwait(true);
                (stream, encryption, named) = (decorated.Stream, decorated.Encryption, decorated.WireHash);
                await ReadExactlyAsync(stream, prefix, deadline.Token).ConfigureAwait(true);
            }

            await ReadExactlyAsync(stream, header.AsMemory(prefix.Length, WireHandshake.HeaderLength - prefix.Length), deadline.Token).ConfigureAwait(true);
            WireHandshake.ParseHeader(header, out var theirs, out var infoHash);
            if (named is { } skey && skey != infoHash)
            {
                throw new PeerProtocolException(ErrorCode.EncryptionHandshakeFailed, $"The BitTorrent handshake names {infoHash}, the MSE handshake another torrent.");
            }

            if (!_torrents.AcceptsPeers(infoHash))
            {
                throw new PeerProtocolException(ErrorCode.InfoHashMismatch, $"No torrent here takes peers for {infoHash}.");
            }

            // BEP 52: a v1 handshake of a hybrid torrent with the upgrade bit is answered with the v2 hash, as libtorrent does (it then speaks v2).
            var upgraded = theirs.V2Upgrade ? UpgradedHash(infoHash) : null;
            await SendAsync(stream, OurHandshake(upgraded ?? infoHash, offerUpgrade: upgraded is null && HasV2(infoHash)), deadline.Token).ConfigureAwait(true);
            await ReadExactlyAsync(stream, header.AsMemory(WireHandshake.HeaderLength), deadline.Token).ConfigureAwait(true);
            return new NegotiatedConnection(stream, WireHandshake.Parse(header), encryption);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PeerProtocolException(ErrorCode.ConnectTimeout, "The handshake did not finish in time.");
        }
    }

    /// <summary>
    /// An outgoing connection to a peer of the torrent known on the wire by <paramref name="wireHash"/>:
    /// MSE first when <paramref name="encrypted"/> (offering the allowed levels, our handshake as its
    /// initial payload), plaintext otherwise.
    /// </summary>
    /// <exception cref="PeerProtocolException">
    /// The policy forbids this kind of connection (<see cref="ErrorCode.EncryptionRequired"/>), the peer
    /// does not speak MSE (<see cref="ErrorCode.EncryptionNotSupported"/>: retry in plaintext), a failed
    /// MSE handshake, the peer answered for another torrent, closed the connection, or the time-out.
    /// </exception>
    public async Task<NegotiatedConnection> ConnectAsync(IPeerConnectionStream stream, Id20 wireHash, bool encrypted, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var policy = _settings().OutgoingEncryption;
        if (encrypted ? policy == EncryptionPolicy.Disabled : policy == EncryptionPolicy.Forced)
        {
            throw new PeerProtocolException(ErrorCode.EncryptionRequired, encrypted ? "Outgoing encryption is disabled." : "Outgoing encryption is forced: no plaintext connection.");
        }

        // The time-out runs on the injected clock, so tests drive it without waiting.
        using var timer = new CancellationTokenSource(timeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            var ours = OurHandshake(wireHash, offerUpgrade: HasV2(wireHash));
            var encryption = PeerEncryption.None;
            if (encrypted)
            {
                var decorated = await _mse.ConnectAsync(stream, wireHash, ours, deadline.Token).ConfigureAwait(true);
                (stream, encryption) = (decorated.Stream, decorated.Encryption);
            }
            else
            {
                await SendAsync(stream, ours, deadline.Token).ConfigureAwait(true);
            }

            var reply = new byte[WireHandshake.Length];
            await ReadExactlyAsync(stream, reply, deadline.Token).ConfigureAwait(true);
            var handshake = WireHandshake.Parse(reply);
            // A peer that takes up our upgrade offer (BEP 52) answers with the v2 hash of the same torrent.
            if (handshake.InfoHash != wireHash && handshake.InfoHash != UpgradedHash(wireHash))
            {
                throw new PeerProtocolException(ErrorCode.InfoHashMismatch, "The peer answered for another torrent.");
            }

            return new NegotiatedConnection(stream, handshake, encryption);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PeerProtocolException(ErrorCode.ConnectTimeout, "The handshake did not finish in time.");
        }
    }

    private bool HasV2(Id20 wireHash) => _torrents.InfoHashesOf(wireHash)?.V2 is not null;

    // BEP 52's upgrade: a peer answers a v1 handshake of a hybrid that set the upgrade bit with the v2 hash (libtorrent does).
    private Id20? UpgradedHash(Id20 wireHash) => _torrents.InfoHashesOf(wireHash) is { } hashes ? WireHandshake.UpgradedHash(hashes, wireHash) : null;

    // BEP 52: the upgrade bit tells a peer of a torrent with a v2 hash that we speak v2 (libtorrent
    // refuses hash messages otherwise, and drops a peer setting it for a v1-only torrent).
    private byte[] OurHandshake(Id20 wireHash, bool offerUpgrade)
    {
        var bytes = new byte[WireHandshake.Length];
        new WireHandshake(offerUpgrade ? Offered.WithV2Upgrade() : Offered, wireHash, _ourPeerId).WriteTo(bytes);
        return bytes;
    }

    private static async Task SendAsync(IPeerConnectionStream stream, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await stream.SendAsync(bytes, cancellationToken).ConfigureAwait(true);
        }
        catch (Exception e) when (StreamErrors.IsReset(e))
        {
            throw Reset(e);
        }
    }

    private static async Task ReadExactlyAsync(IPeerConnectionStream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int read;
            try
            {
                read = await stream.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(true);
            }
            catch (Exception e) when (StreamErrors.IsReset(e))
            {
                throw Reset(e);
            }

            if (read == 0)
            {
                throw new PeerProtocolException(ErrorCode.ConnectionClosed, "The peer closed the connection during the handshake.");
            }

            buffer = buffer[read..];
        }
    }

    // A reset is the peer hanging up, as a clean close is (a peer that requires encryption resets
    // a plaintext handshake as often as it closes it): both are ConnectionClosed.
    private static PeerProtocolException Reset(Exception e) =>
        new(ErrorCode.ConnectionClosed, "The peer reset the connection during the handshake.", e);
}
