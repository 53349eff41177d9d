using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Session;
using GodotTorrent.Swarm;
using GodotTorrent.Wire;

namespace GodotTorrent.Torrent;

/// <summary>The extension protocol (BEP 10): metadata exchange (BEP 9) and peer exchange (BEP 11).</summary>
internal sealed partial class TorrentRuntime : IExtensionHost, IMetadataPhaseHost
{
    private MetadataPhase? _metadata;
    private ExtensionProtocol? _extensions;

    public IEnumerable<PeerConnection> ConnectedPeers => _peers.Values;

    string IExtensionHost.ClientName => Settings.UserAgent;

    int IExtensionHost.ListenPort => _session.ListenPort;

    bool IExtensionHost.AdvertiseUploadOnly => IsSeeding || _uploadOnly;

    void IExtensionHost.ReportExternalAddress(IPAddress address) => _session.ReportExternalAddress(address);

    bool IMetadataPhaseHost.TryGetPeer(int id, out PeerConnection peer) => _peers.TryGetValue(id, out peer!);

    void IMetadataPhaseHost.Disconnect(PeerConnection peer, ErrorCode code, string reason) => Disconnect(peer, code, reason);

    void IMetadataPhaseHost.MetadataFailed(ErrorCode code, string message) => _session.Alerts.Post(new MetadataFailedAlert(Handle, code, message));

    void IMetadataPhaseHost.MetadataFetched(byte[] infoBytes) => _ = OnMetadataCompleteAsync(infoBytes);

    void IMetadataPhaseHost.Fail(ErrorCode code, string message) => Fail(code, message);

    private void InitializeExtensions()
    {
        _metadata = new MetadataPhase(this, Torrent, InfoHashes, _session.Time);
        _extensions = new ExtensionProtocol(this, _metadata, _pexPeers!, _session.Time);
    }

    private ExtensionHandshake OurExtensionHandshake(PeerConnection peer) => _extensions!.OurHandshake(peer);

    private void OnExtended(PeerConnection peer, in InboundMessage message) => _extensions!.OnExtended(peer, message);

    private void ExtensionsTick() => _extensions!.Tick();

    private void ExtensionsPeerClosed(PeerConnection peer) => _extensions?.PeerClosed(peer);

    private async Task OnMetadataCompleteAsync(byte[] infoBytes)
    {
        var torrent = await _metadata!.ParseAsync(infoBytes).ConfigureAwait(true);

        // The torrent may have been removed while its metadata was parsed.
        if (torrent is null || IsRemoved)
        {
            return;
        }

        Torrent = torrent;
        Name = torrent.Name;
        _metadata.SetMetadata(torrent);
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
        }

        _extensions!.MetadataKnown();
        if (torrent.IsPrivate)
        {
            // BEP 27: peers learned by exchange are not for a private torrent.
            _peerSources.MarkPrivate();
            _peerList.RestrictSources(Peers.PeerSource.AllowedForPrivate);
        }

        InitializeTrackers();
        _checking = InitializeAsync();
    }
}
