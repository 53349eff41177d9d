using System.Net;
using GodotTorrent.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// An attacker on its own simulated host: it opens connections to a node, sends a valid handshake
/// for the torrent (the info-hash is public) and then says nothing, holding the socket.
/// </summary>
internal sealed class SimSilentPeer(SimSwarm swarm)
{
    public SimHost Host { get; } = swarm.Network.AddHost();

    /// <summary>Connections whose handshake went out.</summary>
    public int Handshaken { get; private set; }

    /// <summary>Opens <paramref name="count"/> silent connections to <paramref name="target"/> (they run on the scheduler).</summary>
    public void Flood(IPEndPoint target, TorrentInfo torrent, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _ = swarm.Scheduler.Run(() => HoldAsync(target, torrent));
        }
    }

    private async Task HoldAsync(IPEndPoint target, TorrentInfo torrent)
    {
        var stream = await Host.ConnectAsync(target, CancellationToken.None).ConfigureAwait(true);
        var handshake = new byte[Handshake.Length];
        Handshake.Create(HandshakeReserved.Create(extensionProtocol: false, fastExtension: false, dht: false), torrent.InfoHashes.V1!.Span, PeerId.Generate("-SL0001-")).WriteTo(handshake);
        await stream.SendAsync(handshake, CancellationToken.None).ConfigureAwait(true);
        Handshaken++;
    }
}
