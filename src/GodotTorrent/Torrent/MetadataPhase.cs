using GodotTorrent.Metainfo;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Wire;

namespace GodotTorrent.Torrent;

/// <summary>
/// ut_metadata (BEP 9): serves our info dictionary to peers and, for a magnet link, fetches it
/// from them. Engine loop only.
/// </summary>
internal sealed class MetadataPhase
{
    private readonly IMetadataPhaseHost _host;
    private readonly MetadataServer _server;
    private readonly Engine.IBackgroundRunner _background;
    private MetadataFetcher? _fetcher;

    public MetadataPhase(IMetadataPhaseHost host, TorrentInfo? torrent, InfoHashes infoHashes, TimeProvider time, Engine.IBackgroundRunner background)
    {
        _host = host;
        _background = background;
        _server = new MetadataServer(time);
        if (torrent is not null)
        {
            _server.SetMetadata(torrent.InfoBytes);
        }
        else
        {
            _fetcher = new MetadataFetcher(infoHashes, time);
        }
    }

    /// <summary>True while the metadata is being fetched from peers.</summary>
    public bool IsFetching => _fetcher is not null;

    /// <summary>A peer announced ut_metadata in its extension handshake.</summary>
    public void AddPeer(PeerConnection peer, long? metadataSize)
    {
        if (_fetcher is not null)
        {
            _fetcher.AddPeer(peer.Id, metadataSize);
            RequestMetadata();
        }
    }

    public void OnMessage(PeerConnection peer, in MetadataMessage message)
    {
        byte theirId = peer.Extensions?.GetMessageId(MetadataMessage.ExtensionName) ?? 0;
        switch (message.Type)
        {
            case MetadataMessageType.Request when theirId != 0:
                peer.SendExtended(theirId, _server.HandleRequest(peer.Id, message.Piece));
                break;
            case MetadataMessageType.Data when _fetcher is not null:
                OnMetadataData(peer, message);
                break;
            case MetadataMessageType.Reject when _fetcher is not null:
                _fetcher.OnReject(peer.Id, message.Piece);
                RequestMetadata();
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Parses fetched metadata off the engine loop, resuming on it (its synchronization context).
    /// Null when the metadata is unusable; then the torrent failed.
    /// </summary>
    public async Task<TorrentInfo?> ParseAsync(byte[] infoBytes)
    {
        try
        {
            // A stranger's metadata can be large and odd-shaped. The session's runner, not Task.Run,
            // so that a simulated session parses it inside the simulation.
            return await _background.Run(() => Task.FromResult(TorrentInfo.FromInfoDictionary(infoBytes))).ConfigureAwait(true);
        }
        catch (TorrentFormatException e)
        {
            // The hash matched, so no peer can send anything better: the magnet itself is unusable.
            if (!_host.IsRemoved)
            {
                _host.MetadataFailed(e.ErrorCode, e.Message);
                _host.Fail(e.ErrorCode, $"the torrent's metadata is invalid: {e.Message}");
            }

            return null;
        }
    }

    /// <summary>The metadata is known now: serve it.</summary>
    public void SetMetadata(TorrentInfo torrent) => _server.SetMetadata(torrent.InfoBytes);

    /// <summary>Called once a second: re-requests pieces whose requests timed out.</summary>
    public void Tick()
    {
        if (_fetcher is not null && _fetcher.Tick() > 0)
        {
            RequestMetadata();
        }
    }

    public void PeerClosed(PeerConnection peer)
    {
        _fetcher?.RemovePeer(peer.Id);
        _server.RemovePeer(peer.Id);
    }

    private void OnMetadataData(PeerConnection peer, in MetadataMessage message)
    {
        var fetcher = _fetcher!;
        switch (fetcher.OnData(peer.Id, message))
        {
            case MetadataFetchOutcome.Completed:
                // No more metadata requests; messages that need the metadata wait as pending meanwhile.
                _fetcher = null;
                _host.MetadataFetched(fetcher.Metadata!);
                return;
            case MetadataFetchOutcome.HashMismatch:
                _host.MetadataFailed(ErrorCode.InfoHashMismatch, "metadata from peers did not match the info-hash");
                if (fetcher.LastHashFailure?.Culprit is int culprit && _host.TryGetPeer(culprit, out var liar))
                {
                    _host.Disconnect(liar, ErrorCode.InfoHashMismatch, "it sent metadata that does not match the info-hash");
                }

                break;
            case MetadataFetchOutcome.Invalid:
                _host.Disconnect(peer, ErrorCode.InvalidExtensionMessage, "its metadata size changed");
                break;
            default:
                break;
        }

        RequestMetadata();
    }

    private void RequestMetadata()
    {
        if (_fetcher is null)
        {
            return;
        }

        foreach (var peer in _host.ConnectedPeers)
        {
            byte theirId = peer.Extensions?.GetMessageId(MetadataMessage.ExtensionName) ?? 0;
            while (theirId != 0 && _fetcher.TryGetRequest(peer.Id, out int piece))
            {
                peer.SendExtended(theirId, MetadataMessage.CreateRequest(piece));
            }
        }
    }
}
