using System.Net;
using GodotTorrent.Net;
using GodotTorrent.Net.Handshake;
using GodotTorrent.Peers;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Torrent;

/// <summary>
/// Dials one peer off the engine loop: the transport the connection policy picks, then the
/// negotiator with MSE or plaintext (<see cref="OutgoingEncryption"/>), and one retry the other
/// way on a fresh connection when the peer plainly does not speak what we offered. The
/// Diffie-Hellman work of MSE therefore never runs on the loop.
/// </summary>
internal sealed class PeerDialer(TorrentSession session)
{
    /// <summary>
    /// Runs on the background runner; its awaits keep that context (see the threading model).
    /// <paramref name="speaksMse"/> is what earlier dials taught about the peer (null: nothing).
    /// </summary>
    public async Task<DialOutcome> DialAsync(IPEndPoint endPoint, PexFlags flags, Id20 wireHash, bool? speaksMse)
    {
        var settings = session.Settings;
        bool encrypted = OutgoingEncryption.FirstAttempt(settings.OutgoingEncryption, speaksMse);
        try
        {
            var connection = await AttemptAsync(endPoint, flags, wireHash, encrypted, settings).ConfigureAwait(true);
            return new DialOutcome(connection, null, encrypted ? true : speaksMse);
        }
        catch (PeerProtocolException first) when (OutgoingEncryption.Retry(settings.OutgoingEncryption, encrypted, first.ErrorCode) is { } retry)
        {
            try
            {
                var connection = await AttemptAsync(endPoint, flags, wireHash, retry, settings).ConfigureAwait(true);
                return new DialOutcome(connection, null, retry);
            }
#pragma warning disable CA1031 // The caller turns any failure into a back-off.
            catch (Exception second)
#pragma warning restore CA1031
            {
                // Only a refused MSE offer teaches anything lasting: the peer does not speak it.
                return new DialOutcome(null, second, encrypted ? false : speaksMse);
            }
        }
#pragma warning disable CA1031 // The caller turns any failure into a back-off.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new DialOutcome(null, e, speaksMse);
        }
    }

    private async Task<NegotiatedConnection> AttemptAsync(IPEndPoint endPoint, PexFlags flags, Id20 wireHash, bool encrypted, SessionSettings settings)
    {
        using var timeout = new CancellationTokenSource(settings.ConnectTimeout, session.Time);
        var transport = session.Connections.ForOutgoing(endPoint, flags);
        var stream = await transport.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(true);
        try
        {
            return await session.Negotiator.ConnectAsync(stream, wireHash, encrypted, settings.ConnectTimeout, timeout.Token).ConfigureAwait(true);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(true);
            throw;
        }
    }
}
