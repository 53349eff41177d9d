using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Net;
using GodotTorrent.Torrent;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Session;

/// <summary>
/// An accepted connection's way in: the IP filter, the session's pool of pending handshakes, the
/// handshake off the loop, then the torrent it names (or an abort).
/// </summary>
internal sealed class IncomingHandshakes(TorrentSession session, PendingConnections pending, Func<IPEndPoint, bool> refusedByIpFilter, Func<Id20, TorrentRuntime?> findTorrent, ILogger logger)
{
    // Runs on the background runner; its awaits keep that context (see PeerHandshaker).
    public async Task HandleAsync(IPeerConnectionStream stream, CancellationToken stopping)
    {
        if (refusedByIpFilter(stream.RemoteEndPoint))
        {
            await stream.DisposeAsync().ConfigureAwait(true);
            return;
        }

        // Posted before the handshake's own result, so the loop sees the add first.
        session.Loop.Post(_ => pending.Add(stream, session.Settings.MaxPendingIncoming), null);
        try
        {
            var connection = await session.Negotiator.AcceptAsync(stream, session.Settings.HandshakeTimeout, stopping).ConfigureAwait(true);
            session.Loop.Post(_ =>
            {
                if (!pending.Remove(stream))
                {
                    // Dropped as the oldest pending while it shook hands.
                    connection.Stream.Abort();
                }
                else if (findTorrent(connection.Handshake.InfoHash) is { } runtime)
                {
                    runtime.AttachPeer(connection.Stream, connection.Handshake, outgoing: false, candidate: null, connection.Encryption);
                }
                else
                {
                    connection.Stream.Abort();
                }
            }, null);
        }
#pragma warning disable CA1031 // A stranger's broken handshake only closes that connection.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogDebug(e, "Incoming handshake from {EndPoint} failed", stream.RemoteEndPoint);
            session.Loop.Post(_ =>
            {
                // A connection aborted to make room, or by the session stopping, is not the peer's failure.
                if (pending.Remove(stream) && e is PeerProtocolException failed)
                {
                    session.Alerts.Post(new HandshakeFailedAlert(null, stream.RemoteEndPoint, Incoming: true, failed.ErrorCode, failed.Message));
                }
            }, null);
            await stream.DisposeAsync().ConfigureAwait(true);
        }
    }
}
