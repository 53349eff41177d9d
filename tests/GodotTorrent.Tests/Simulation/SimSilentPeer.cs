using System.Net;
using GodotTorrent.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// An attacker on its own simulated host: it opens connections to a node, sends a valid handshake
/// for the torrent (the info-hash is public), or nothing at all, and then says nothing, holding the
/// socket. It reads what the node sends, so it never blocks it, and counts the connections the node closed.
/// </summary>
internal sealed class SimSilentPeer(SimSwarm swarm)
{
    public SimHost Host { get; } = swarm.Network.AddHost();

    /// <summary>Connections made (and, when asked for, whose handshake went out).</summary>
    public int Handshaken { get; private set; }

    /// <summary>Connections the node closed.</summary>
    public int Closed { get; private set; }

    /// <summary>Opens <paramref name="count"/> silent connections to <paramref name="target"/> (they run on the scheduler).</summary>
    public void Flood(IPEndPoint target, TorrentInfo torrent, int count, bool handshake = true)
    {
        for (int i = 0; i < count; i++)
        {
            _ = swarm.Scheduler.Run(() => HoldAsync(target, torrent, handshake, mseKey: false));
        }
    }

    /// <summary>
    /// Opens <paramref name="count"/> connections that start an MSE handshake (96 bytes where the
    /// public key goes) and then say nothing: the node does its half of the key exchange and waits.
    /// </summary>
    public void FloodWithMseKeys(IPEndPoint target, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _ = swarm.Scheduler.Run(() => HoldAsync(target, null, handshake: false, mseKey: true));
        }
    }

    private async Task HoldAsync(IPEndPoint target, TorrentInfo? torrent, bool handshake, bool mseKey)
    {
        var stream = await Host.ConnectAsync(target, CancellationToken.None).ConfigureAwait(true);
        if (mseKey)
        {
            var key = new byte[96];
            new Random(Handshaken).NextBytes(key);
            key[0] = 0x5a;
            await stream.SendAsync(key, CancellationToken.None).ConfigureAwait(true);
        }
        else if (handshake)
        {
            var bytes = new byte[Handshake.Length];
            Handshake.Create(HandshakeReserved.Create(extensionProtocol: false, fastExtension: false, dht: false), torrent!.InfoHashes.V1!.Span, PeerId.Generate("-SL0001-")).WriteTo(bytes);
            await stream.SendAsync(bytes, CancellationToken.None).ConfigureAwait(true);
        }

        Handshaken++;
        var buffer = new byte[16 * 1024];
        try
        {
            while (await stream.ReceiveAsync(buffer, CancellationToken.None).ConfigureAwait(true) > 0)
            {
            }
        }
#pragma warning disable CA1031 // A reset is the node closing the connection, as an end of stream is.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        Closed++;
    }
}
