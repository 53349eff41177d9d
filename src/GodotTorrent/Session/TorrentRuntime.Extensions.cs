using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Swarm;
using GodotTorrent.Wire;

namespace GodotTorrent.Session;

/// <summary>The extension protocol (BEP 10): metadata exchange (BEP 9) and peer exchange (BEP 11).</summary>
internal sealed partial class TorrentRuntime
{
    // Our ids for the extensions we offer; libtorrent uses the same numbers.
    private const byte UtPexId = 1;
    private const byte UtMetadataId = 2;

    private MetadataServer? _metadataServer;
    private MetadataFetcher? _metadataFetcher;

    /// <summary>BEP 27: a private torrent exchanges no peers; a magnet whose metadata is unknown may turn out private, so it waits.</summary>
    private bool PexAllowed => Torrent is not null && PexState.IsAllowed(Torrent);

    private void InitializeExtensions()
    {
        _metadataServer = new MetadataServer(_session.Time);
        if (Torrent is not null)
        {
            _metadataServer.SetMetadata(Torrent.InfoBytes);
        }
        else
        {
            _metadataFetcher = new MetadataFetcher(InfoHashes, _session.Time);
        }
    }

    private ExtensionHandshake OurExtensionHandshake(PeerConnection peer)
    {
        var messages = new Dictionary<string, byte>(StringComparer.Ordinal) { [MetadataMessage.ExtensionName] = UtMetadataId };
        if (Torrent is null || PexAllowed)
        {
            messages[PexMessage.ExtensionName] = UtPexId;
        }

        return new ExtensionHandshake
        {
            Messages = messages,
            ClientName = Settings.UserAgent,
            ListenPort = _session.ListenPort > 0 ? _session.ListenPort : null,
            MaxRequests = 500,
            YourIp = peer.EndPoint.Address,
            MetadataSize = Torrent?.InfoBytes.Length,
            UploadOnly = IsSeeding || _uploadOnly,
        };
    }

    private void OnExtended(PeerConnection peer, in InboundMessage message)
    {
        var payload = message.Data ?? [];
        switch (message.ExtendedId)
        {
            case 0:
                peer.Extensions = ExtensionHandshake.Parse(payload);
                OnPeerExtensions(peer);
                break;
            case UtMetadataId:
                OnMetadataMessage(peer, MetadataMessage.Parse(payload));
                break;
            case UtPexId when peer.Pex is not null:
                _pexPeers!.OnMessage(peer.Pex, payload);
                break;
            default:
                // An extension we did not offer: BEP 10 says to ignore it.
                break;
        }
    }

    private void OnPeerExtensions(PeerConnection peer)
    {
        var extensions = peer.Extensions!;
        if (extensions.YourIp is { } seenAs)
        {
            _session.ReportExternalAddress(seenAs);
        }

        if (_metadataFetcher is not null && extensions.GetMessageId(MetadataMessage.ExtensionName) != 0)
        {
            _metadataFetcher.AddPeer(peer.Id, extensions.MetadataSize);
            RequestMetadata();
        }

        if (PexAllowed && extensions.GetMessageId(PexMessage.ExtensionName) != 0)
        {
            peer.Pex = new PexState(_session.Time, ListenEndPoint(peer));
        }
    }

    // The address a peer accepts connections on: the one we dialled, or its address with the port it announced.
    private static IPEndPoint? ListenEndPoint(PeerConnection peer) =>
        peer.IsOutgoing ? peer.EndPoint
        : peer.Extensions?.ListenPort is int port ? new IPEndPoint(peer.EndPoint.Address, port)
        : null;

    private void OnMetadataMessage(PeerConnection peer, in MetadataMessage message)
    {
        byte theirId = peer.Extensions?.GetMessageId(MetadataMessage.ExtensionName) ?? 0;
        switch (message.Type)
        {
            case MetadataMessageType.Request when theirId != 0:
                peer.SendExtended(theirId, _metadataServer!.HandleRequest(peer.Id, message.Piece));
                break;
            case MetadataMessageType.Data when _metadataFetcher is not null:
                OnMetadataData(peer, message);
                break;
            case MetadataMessageType.Reject when _metadataFetcher is not null:
                _metadataFetcher.OnReject(peer.Id, message.Piece);
                RequestMetadata();
                break;
            default:
                break;
        }
    }

    private void OnMetadataData(PeerConnection peer, in MetadataMessage message)
    {
        var fetcher = _metadataFetcher!;
        switch (fetcher.OnData(peer.Id, message))
        {
            case MetadataFetchOutcome.Completed:
                _ = OnMetadataCompleteAsync(fetcher.Metadata!);
                return;
            case MetadataFetchOutcome.HashMismatch:
                _session.Alerts.Post(new MetadataFailedAlert(Handle, ErrorCode.InfoHashMismatch, "metadata from peers did not match the info-hash"));
                if (fetcher.LastHashFailure?.Culprit is int culprit && _peers.TryGetValue(culprit, out var liar))
                {
                    Disconnect(liar, ErrorCode.InfoHashMismatch, "it sent metadata that does not match the info-hash");
                }

                break;
            case MetadataFetchOutcome.Invalid:
                Disconnect(peer, ErrorCode.InvalidExtensionMessage, "its metadata size changed");
                break;
            default:
                break;
        }

        RequestMetadata();
    }

    private void RequestMetadata()
    {
        if (_metadataFetcher is null)
        {
            return;
        }

        foreach (var peer in _peers.Values)
        {
            byte theirId = peer.Extensions?.GetMessageId(MetadataMessage.ExtensionName) ?? 0;
            while (theirId != 0 && _metadataFetcher.TryGetRequest(peer.Id, out int piece))
            {
                peer.SendExtended(theirId, MetadataMessage.CreateRequest(piece));
            }
        }
    }

    private async Task OnMetadataCompleteAsync(byte[] infoBytes)
    {
        // No more metadata requests; messages that need the metadata wait as pending meanwhile.
        _metadataFetcher = null;
        TorrentInfo torrent;
        try
        {
            // A stranger's metadata can be large and odd-shaped: parse it off the engine loop,
            // resuming on it (its synchronization context) with the result.
            torrent = await Task.Run(() => TorrentInfo.FromInfoDictionary(infoBytes)).ConfigureAwait(true);
        }
        catch (TorrentFormatException e)
        {
            // The hash matched, so no peer can send anything better: the magnet itself is unusable.
            if (!IsRemoved)
            {
                _session.Alerts.Post(new MetadataFailedAlert(Handle, e.ErrorCode, e.Message));
                Fail(e.ErrorCode, $"the torrent's metadata is invalid: {e.Message}");
            }

            return;
        }

        // The torrent may have been removed while its metadata was parsed.
        if (IsRemoved)
        {
            return;
        }

        Torrent = torrent;
        Name = torrent.Name;
        _metadataServer!.SetMetadata(torrent.InfoBytes);
        _session.Alerts.Post(new MetadataReceivedAlert(Handle));
        foreach (var peer in _peers.Values)
        {
            peer.Reader.SetPieceGeometry(torrent.PieceCount, WirePieceSize);
            if (peer.PendingPieceMessages is { } pending)
            {
                peer.PendingPieceMessages = null;
                foreach (var message in pending)
                {
                    HandleMessage(peer, message);
                }
            }

            if (PexAllowed && peer.Extensions?.GetMessageId(PexMessage.ExtensionName) is > 0)
            {
                peer.Pex = new PexState(_session.Time, ListenEndPoint(peer));
            }
            else if (!PexAllowed && peer.Pex is not null)
            {
                peer.Pex = null;
            }
        }

        if (torrent.IsPrivate)
        {
            // BEP 27: peers learned by exchange are not for a private torrent.
            _peerSources.MarkPrivate();
            _peerList.RestrictSources(Peers.PeerSource.AllowedForPrivate);
        }

        InitializeTrackers();
        _checking = InitializeAsync();
    }

    private void ExtensionsTick()
    {
        if (_metadataFetcher is not null && _metadataFetcher.Tick() > 0)
        {
            RequestMetadata();
        }

        if (!PexAllowed)
        {
            return;
        }

        List<PexPeer>? connected = null;
        foreach (var peer in _peers.Values)
        {
            if (peer.Pex is null)
            {
                continue;
            }

            connected ??= _peers.Values
                .Select(p => (Peer: p, EndPoint: ListenEndPoint(p)))
                .Where(p => p.EndPoint is not null)
                .Select(p => new PexPeer(p.EndPoint!, (p.Peer.HasAll ? PexFlags.UploadOnly : 0) | (p.Peer.IsOutgoing ? PexFlags.Reachable : 0)))
                .ToList();
            byte theirId = peer.Extensions?.GetMessageId(PexMessage.ExtensionName) ?? 0;
            if (theirId != 0 && peer.Pex.TryBuildMessage(connected.Where(p => !p.EndPoint.Equals(ListenEndPoint(peer)))) is { } message)
            {
                peer.SendExtended(theirId, message);
            }
        }
    }

    private void ExtensionsPeerClosed(PeerConnection peer)
    {
        _metadataFetcher?.RemovePeer(peer.Id);
        _metadataServer?.RemovePeer(peer.Id);
    }
}
