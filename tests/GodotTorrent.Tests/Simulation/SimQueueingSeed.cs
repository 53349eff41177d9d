using System.Buffers;
using System.Net;
using GodotTorrent.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// A seed on its own simulated host that announces a BEP 10 <c>reqq</c> (or none), offers every
/// piece, unchokes, and then answers nothing: it only counts the requests the node sends it, so a
/// test sees how deep the node's pipeline to such a peer runs.
/// </summary>
internal sealed class SimQueueingSeed(SimSwarm swarm)
{
    public SimHost Host { get; } = swarm.Network.AddHost();

    /// <summary>Requests received, less the ones the node cancelled.</summary>
    public int Outstanding { get; private set; }

    /// <summary>Requests received in all.</summary>
    public int Requested { get; private set; }

    /// <summary>Connects to <paramref name="target"/> and plays the seed (runs on the scheduler).</summary>
    public void Connect(IPEndPoint target, TorrentInfo torrent, int? reqq) =>
        _ = swarm.Scheduler.Run(() => RunAsync(target, torrent, reqq));

    private async Task RunAsync(IPEndPoint target, TorrentInfo torrent, int? reqq)
    {
        var stream = await Host.ConnectAsync(target, CancellationToken.None).ConfigureAwait(true);
        var output = new ArrayBufferWriter<byte>();
        var handshake = new byte[Handshake.Length];
        Handshake.Create(HandshakeReserved.Create(extensionProtocol: true, fastExtension: false, dht: false), torrent.InfoHashes.V1!.Span, PeerId.Generate("-QS0001-")).WriteTo(handshake);
        output.Write(handshake);
        PeerMessageWriter.WriteExtended(output, 0, new ExtensionHandshake { MaxRequests = reqq }.ToBytes());
        PeerMessageWriter.WriteBitfield(output, new Bitfield(torrent.PieceCount, true));
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
