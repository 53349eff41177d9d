using System.Buffers;
using System.Net;
using GodotTorrent.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// A seed on its own simulated host that announces a BEP 10 <c>reqq</c> (or none), offers every
/// piece (or, as a peer with nothing, none), unchokes, and then answers nothing: it only counts the
/// requests and HAVEs the node sends it, so a test sees how deep the node's pipeline to such a peer
/// runs and what else it is told.
/// </summary>
internal sealed class SimQueueingSeed(SimSwarm swarm)
{
    public SimHost Host { get; } = swarm.Network.AddHost();

    /// <summary>Requests received, less the ones the node cancelled.</summary>
    public int Outstanding { get; private set; }

    /// <summary>Requests received in all.</summary>
    public int Requested { get; private set; }

    /// <summary>HAVE messages received.</summary>
    public int Haves { get; private set; }

    /// <summary>Connects to <paramref name="target"/> and plays the seed (runs on the scheduler).</summary>
    /// <param name="target">The node to connect to.</param>
    /// <param name="torrent">The torrent both sides share.</param>
    /// <param name="reqq">The BEP 10 <c>reqq</c> to announce, none when null.</param>
    /// <param name="hasAll">Offer every piece (a seed), or none (a peer that has nothing yet).</param>
    public void Connect(IPEndPoint target, TorrentInfo torrent, int? reqq, bool hasAll = true) =>
        _ = swarm.Scheduler.Run(() => RunAsync(target, torrent, reqq, hasAll));

    private async Task RunAsync(IPEndPoint target, TorrentInfo torrent, int? reqq, bool hasAll)
    {
        var stream = await Host.ConnectAsync(target, CancellationToken.None).ConfigureAwait(true);
        var output = new ArrayBufferWriter<byte>();
        var handshake = new byte[Handshake.Length];
        Handshake.Create(HandshakeReserved.Create(extensionProtocol: true, fastExtension: false, dht: false), torrent.InfoHashes.V1!.Span, PeerId.Generate("-QS0001-")).WriteTo(handshake);
        output.Write(handshake);
        PeerMessageWriter.WriteExtended(output, 0, new ExtensionHandshake { MaxRequests = reqq }.ToBytes());
        PeerMessageWriter.WriteBitfield(output, new Bitfield(torrent.PieceCount, hasAll));
        PeerMessageWriter.WriteEmpty(output, PeerMessageType.Unchoke);
        await stream.SendAsync(output.WrittenMemory, CancellationToken.None).ConfigureAwait(true);

        // The node's handshake first, then its messages.
        var buffer = new byte[64 * 1024];
        int filled = 0;
        bool handshakeRead = false;
        var reader = new PeerMessageReader() { ExtensionProtocol = true };
        try
        {
            int read;
            while ((read = await stream.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None).ConfigureAwait(true)) > 0)
            {
                filled += read;
                int offset = 0;
                if (!handshakeRead)
                {
                    if (filled < Handshake.Length)
                    {
                        continue;
                    }

                    handshakeRead = true;
                    offset = Handshake.Length;
                }

                while (reader.TryRead(buffer.AsMemory(offset, filled - offset), out var message, out int consumed))
                {
                    offset += consumed;
                    if (message.Type == PeerMessageType.Request)
                    {
                        Requested++;
                        Outstanding++;
                    }
                    else if (message.Type == PeerMessageType.Cancel)
                    {
                        Outstanding--;
                    }
                    else if (message.Type == PeerMessageType.Have)
                    {
                        Haves++;
                    }
                }

                Buffer.BlockCopy(buffer, offset, buffer, 0, filled - offset);
                filled -= offset;
            }
        }
#pragma warning disable CA1031 // A reset is the node closing the connection, as an end of stream is.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
