using System.Net;
using GodotTorrent.Net;
using GodotTorrent.Net.Handshake;
using GodotTorrent.Peers;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Torrent;

/// <summary>
/// Dials one peer off the engine loop: the transports the connection policy orders (uTP or TCP
/// first, the other when the first cannot connect), then the negotiator with MSE or plaintext (<see cref="OutgoingEncryption"/>), and one retry the other
/// way on a fresh connection when the peer plainly does not speak what we offered. The
/// Diffie-Hellman work of MSE therefore never runs on the loop.
/// </summary>
internal sealed class PeerDialer(TorrentSession session)
{
    /// <summary>
    /// Runs on the background runner; its awaits keep that context (see the threading model).
    /// <paramref name="speaksMse"/> and <paramref name="speaksUtp"/> are what earlier dials taught
    /// about the peer (null: nothing). Transports are tried in the policy's order; the next one
    /// only when a transport cannot connect at all (a handshake failure is the peer's answer).
    /// </summary>
    public async Task<DialOutcome> DialAsync(IPEndPoint endPoint, PexFlags flags, Id20 wireHash, bool? speaksMse, bool? speaksUtp)
    {
        var settings = session.Settings;
        Exception? failure = null;
        bool utpFailed = false;
        foreach (var transport in session.Connections.ForOutgoing(endPoint, flags, speaksUtp))
        {
            bool utp = transport.Kind == PeerTransport.Utp;
            // One time-out covers the connect and the handshake after it (SessionSettings.ConnectTimeout).
            using var timeout = new CancellationTokenSource(settings.ConnectTimeout, session.Time);
            IPeerConnectionStream stream;
            try
            {
                stream = await session.Connections.ConnectAsync(transport, endPoint, timeout.Token).ConfigureAwait(true);
            }
#pragma warning disable CA1031 // The caller turns any failure into a back-off; the next transport may still connect.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
                utpFailed |= utp;
                continue;
            }

            // A peer that answers TCP but not uTP does not speak uTP; one that answers neither may be away.
            speaksUtp = utp ? true : utpFailed ? false : speaksUtp;
            var outcome = await NegotiateAsync(transport, stream, endPoint, wireHash, speaksMse, settings, timeout.Token).ConfigureAwait(true);
            return outcome with { SpeaksUtp = speaksUtp };
        }

        return new DialOutcome(null, failure ?? new TorrentException(ErrorCode.InvalidArgument, "No transport may dial out (TCP and uTP are off)."), speaksMse, speaksUtp);
    }

    private async Task<DialOutcome> NegotiateAsync(ITransport transport, IPeerConnectionStream stream, IPEndPoint endPoint, Id20 wireHash, bool? speaksMse, SessionSettings settings, CancellationToken attempt)
    {
        bool encrypted = OutgoingEncryption.FirstAttempt(settings.OutgoingEncryption, speaksMse);
        try
        {
            var connection = await HandshakeAsync(stream, wireHash, encrypted, settings, attempt).ConfigureAwait(true);
            return new DialOutcome(connection, null, encrypted ? true : speaksMse, null);
        }
        catch (PeerProtocolException first) when (OutgoingEncryption.Retry(settings.OutgoingEncryption, encrypted, first.ErrorCode) is { } retry)
        {
            try
            {
                using var timeout = new CancellationTokenSource(settings.ConnectTimeout, session.Time);
                var again = await session.Connections.ConnectAsync(transport, endPoint, timeout.Token).ConfigureAwait(true);
                var connection = await HandshakeAsync(again, wireHash, retry, settings, timeout.Token).ConfigureAwait(true);
                return new DialOutcome(connection, null, retry, null);
            }
#pragma warning disable CA1031 // The caller turns any failure into a back-off.
            catch (Exception second)
#pragma warning restore CA1031
            {
                // Only a refused MSE offer teaches anything lasting: the peer does not speak it.
                return new DialOutcome(null, second, encrypted ? false : speaksMse, null);
            }
        }
#pragma warning disable CA1031 // The caller turns any failure into a back-off.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new DialOutcome(null, e, speaksMse, null);
        }
    }

    /// <summary>The negotiator on a connected stream; the stream is closed when it fails.</summary>
    private async Task<NegotiatedConnection> HandshakeAsync(IPeerConnectionStream stream, Id20 wireHash, bool encrypted, SessionSettings settings, CancellationToken attempt)
    {
        try
        {
            return await session.Negotiator.ConnectAsync(stream, wireHash, encrypted, settings.ConnectTimeout, attempt).ConfigureAwait(true);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(true);
            throw;
        }
    }
}
