using System.Net;
using GodotTorrent.Discovery;
using GodotTorrent.Session;
using GodotTorrent.Swarm;
using GodotTorrent.Torrent;
using GodotTorrent.Wire;

namespace GodotTorrent.Peers.Protocol;

/// <summary>
/// The extension protocol (BEP 10) of one torrent's connections: the handshake, metadata exchange
/// (BEP 9, through <see cref="MetadataPhase"/>) and peer exchange (BEP 11). Engine loop only.
/// </summary>
internal sealed class ExtensionProtocol(IExtensionHost host, MetadataPhase metadata, PexPeerSource pexPeers, TimeProvider time)
{
    // Our ids for the extensions we offer; libtorrent uses the same numbers.
    private const byte UtPexId = 1;
    private const byte UtMetadataId = 2;

    /// <summary>BEP 27: a private torrent exchanges no peers; a magnet whose metadata is unknown may turn out private, so it waits.</summary>
    private bool PexAllowed => host.Torrent is { } torrent && PexState.IsAllowed(torrent);

    public ExtensionHandshake OurHandshake(PeerConnection peer)
    {
        var torrent = host.Torrent;
        var messages = new Dictionary<string, byte>(StringComparer.Ordinal) { [MetadataMessage.ExtensionName] = UtMetadataId };
        if (torrent is null || PexAllowed)
        {
            messages[PexMessage.ExtensionName] = UtPexId;
        }

        return new ExtensionHandshake
        {
            Messages = messages,
            ClientName = host.ClientName,
            ListenPort = host.ListenPort > 0 ? host.ListenPort : null,
            MaxRequests = PeerMessageHandler.MaxPeerRequests,
            UtpPacketSize = peer.Transport == PeerTransport.Utp ? Net.Utp.UtpPacketSizes.MaxPacketSize : null,
            YourIp = peer.EndPoint.Address,
            MetadataSize = torrent?.InfoBytes.Length,
            UploadOnly = host.AdvertiseUploadOnly,
        };
    }

    public void OnExtended(PeerConnection peer, in InboundMessage message)
    {
        var payload = message.Data ?? [];
        switch (message.ExtendedId)
        {
            case 0:
                peer.Extensions = ExtensionHandshake.Parse(payload);
                if (peer.Extensions.UtpPacketSize is { } size)
                {
                    peer.AcceptLargePackets(size);
                }

                // BEP 10 reqq: size our pipeline to the queue the peer keeps (a later handshake without it keeps the last figure, as libtorrent does).
                if (peer.Extensions.MaxRequests is { } reqq)
                {
                    peer.Requests?.PeerQueueAnnounced(reqq);
                }

                if (peer.Candidate is { SpeaksUtp: null } candidate && Net.ConnectionPolicy.ClientSpeaksUtp(peer.Extensions.ClientName))
                {
                    candidate.SpeaksUtp = true;
                }

                OnPeerExtensions(peer);
                break;
            case UtMetadataId:
                metadata.OnMessage(peer, MetadataMessage.Parse(payload));
                break;
            case UtPexId when peer.Pex is not null:
                pexPeers.OnMessage(peer.Pex, payload);
                break;
            default:
                // An extension we did not offer: BEP 10 says to ignore it.
                break;
        }
    }

    /// <summary>The metadata became known: peer exchange starts, or stops for a private torrent.</summary>
    public void MetadataKnown()
    {
        foreach (var peer in host.ConnectedPeers)
        {
            if (PexAllowed && peer.Extensions?.GetMessageId(PexMessage.ExtensionName) is > 0)
            {
                peer.Pex = new PexState(time, ListenEndPoint(peer));
            }
            else if (!PexAllowed && peer.Pex is not null)
            {
                peer.Pex = null;
            }
        }
    }

    /// <summary>Called once a second: metadata upkeep and the PEX messages that are due.</summary>
    public void Tick()
    {
        metadata.Tick();
        if (!PexAllowed)
        {
            return;
        }

        List<PexPeer>? connected = null;
        foreach (var peer in host.ConnectedPeers)
        {
            if (peer.Pex is null)
            {
                continue;
            }

            connected ??= host.ConnectedPeers
                .Select(p => (Peer: p, EndPoint: ListenEndPoint(p)))
                .Where(p => p.EndPoint is not null)
                .Select(p => new PexPeer(p.EndPoint!, (p.Peer.HasAll ? PexFlags.UploadOnly : 0) | (p.Peer.IsOutgoing ? PexFlags.Reachable : 0) | (p.Peer.Encryption != PeerEncryption.None ? PexFlags.PrefersEncryption : 0) | (p.Peer.Transport == PeerTransport.Utp ? PexFlags.SupportsUtp : 0)))
                .ToList();
            byte theirId = peer.Extensions?.GetMessageId(PexMessage.ExtensionName) ?? 0;
            if (theirId != 0 && peer.Pex.TryBuildMessage(connected.Where(p => !p.EndPoint.Equals(ListenEndPoint(peer)))) is { } message)
            {
                peer.SendExtended(theirId, message);
            }
        }
    }

    public void PeerClosed(PeerConnection peer) => metadata.PeerClosed(peer);

    // The address a peer accepts connections on: the one we dialled, or its address with the port it announced.
    private static IPEndPoint? ListenEndPoint(PeerConnection peer) =>
        peer.IsOutgoing ? peer.EndPoint
        : peer.Extensions?.ListenPort is int port ? new IPEndPoint(peer.EndPoint.Address, port)
        : null;

    private void OnPeerExtensions(PeerConnection peer)
    {
        var extensions = peer.Extensions!;
        if (extensions.YourIp is { } seenAs)
        {
            host.ReportExternalAddress(seenAs);
        }

        if (metadata.IsFetching && extensions.GetMessageId(MetadataMessage.ExtensionName) != 0)
        {
            metadata.AddPeer(peer, extensions.MetadataSize);
        }

        if (PexAllowed && extensions.GetMessageId(PexMessage.ExtensionName) != 0)
        {
            peer.Pex = new PexState(time, ListenEndPoint(peer));
        }
    }
}
