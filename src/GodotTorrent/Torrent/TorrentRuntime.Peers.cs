using System.Net;
using GodotTorrent.Discovery;
using GodotTorrent.Metainfo;
using GodotTorrent.Net;
using GodotTorrent.Peers;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Session;
using GodotTorrent.Swarm;
using GodotTorrent.Wire;

namespace GodotTorrent.Torrent;

/// <summary>The torrent's peer sources and live connections (kept by <see cref="TorrentConnections"/>).</summary>
internal sealed partial class TorrentRuntime : ITorrentConnectionsHost
{
    private readonly TorrentConnections _connections;
    private readonly PeerSourceSet _peerSources = new();
    private PexPeerSource? _pexPeers;

    public void AddPeer(IPEndPoint endPoint, PeerSource source, bool connectNow) => _connections.AddPeer(endPoint, source, connectNow);

    public IReadOnlyList<PeerInfo> GetPeers() => _connections.GetPeers();

    public void AttachPeer(IPeerConnectionStream stream, Handshake handshake, bool outgoing, PeerCandidate? candidate) =>
        _connections.Attach(stream, handshake, outgoing, candidate);

    /// <summary>Closes connections to addresses the session's IP filter now blocks and forgets blocked peers.</summary>
    public void ApplyIpFilter() => _connections.ApplyIpFilter();

    // Tracker and PEX sources run for the torrent's whole life; DHT and LSD join here the same way.
    private void InitializePeerSources()
    {
        _pexPeers = new PexPeerSource(_connections);
        _peerSources.Add(_announcer.PeerSource);
        _peerSources.Add(_pexPeers);
        if (Torrent is { IsPrivate: true })
        {
            _peerSources.MarkPrivate();
        }

        _peerSources.StartAll();
    }

    private void ConnectToCandidates(DateTimeOffset now) => _connections.ConnectToCandidates(now);

    private void OnPeerReady(PeerConnection peer) => _connections.OnPeerReady(peer);

    private static void Disconnect(PeerConnection peer, ErrorCode code, string reason) => TorrentConnections.Disconnect(peer, code, reason);

    private void DisconnectAll(ErrorCode code, string reason) => _connections.DisconnectAll(code, reason);

    private void Ban(PeerConnection peer, string reason) => _connections.Ban(peer, reason);

    private void RunChoker(DateTimeOffset now)
    {
        _lastChoke = now;
        _connections.RunChoker(now);
    }

    private static void SetChoked(PeerConnection peer, bool choke) => TorrentConnections.SetChoked(peer, choke);

    private int UnchokedCount => _connections.UnchokedCount;

    bool ITorrentConnectionsHost.MayDial => MayDial;

    bool ITorrentConnectionsHost.IsSeeding => IsSeeding;

    int ITorrentConnectionsHost.MaxPeers => MaxPeers;

    Id20 ITorrentConnectionsHost.WireHash => WireHash;

    bool ITorrentConnectionsHost.HasPicker => _picker is not null;

    Bitfield ITorrentConnectionsHost.OurPieces => _have;

    int ITorrentConnectionsHost.WirePieceSize(int piece) => WirePieceSize(piece);

    ExtensionHandshake ITorrentConnectionsHost.OurExtensionHandshake(PeerConnection peer) => OurExtensionHandshake(peer);

    void ITorrentConnectionsHost.OnMessages(PeerConnection peer, List<InboundMessage> batch) => OnMessages(peer, batch);

    void ITorrentConnectionsHost.ServeUploads(PeerConnection peer) => ServeUploads(peer);

    void ITorrentConnectionsHost.Refill(PeerConnection peer) => Refill(peer);

    void ITorrentConnectionsHost.PeerClosed(PeerConnection peer)
    {
        ExtensionsPeerClosed(peer);
        RememberClosedPeerTotals(peer);
        foreach (var (block, _) in peer.Outstanding.Values)
        {
            _writer?.Release(block.Length);
        }

        peer.Outstanding.Clear();
        _picker?.PeerLeft(peer.Id);
    }
}
