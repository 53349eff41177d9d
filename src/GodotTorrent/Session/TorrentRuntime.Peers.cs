using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Discovery;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Swarm;
using GodotTorrent.Net;
using GodotTorrent.Net.Handshake;
using GodotTorrent.Peers;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Session;

/// <summary>Finding, dialling, accepting, choking and dropping peers.</summary>
internal sealed partial class TorrentRuntime : IPeerSink
{
    private readonly PeerSourceSet _peerSources = new();
    private readonly List<ChokerPeer> _chokerPeers = [];
    private TrackerPeerSource? _trackerPeers;
    private PexPeerSource? _pexPeers;
    private readonly List<int> _unchoke = [];

    public void AddPeer(IPEndPoint endPoint, PeerSource source, bool connectNow, PexFlags flags = PexFlags.None)
    {
        if (Torrent is { IsPrivate: true } && (source & PeerSource.AllowedForPrivate) == 0)
        {
            return;
        }

        // Asked for by the app: try now even after failures.
        if (_peerList.Add(endPoint, source, flags) is { } candidate && connectNow)
        {
            PeerList.RetryNow(candidate);
            ConnectToCandidates(Now);
        }
    }

    void IPeerSink.Discovered(IReadOnlyList<DiscoveredPeer> peers, PeerSource source)
    {
        foreach (var peer in peers)
        {
            AddPeer(peer.EndPoint, source, connectNow: false, peer.Flags);
        }

        ConnectToCandidates(Now);
    }

    // Tracker and PEX sources run for the torrent's whole life; DHT and LSD join here the same way.
    private void InitializePeerSources()
    {
        _trackerPeers = new TrackerPeerSource(this, () => _session.ListenEndPoints);
        _pexPeers = new PexPeerSource(this);
        _peerSources.Add(_trackerPeers);
        _peerSources.Add(_pexPeers);
        if (Torrent is { IsPrivate: true })
        {
            _peerSources.MarkPrivate();
        }

        _peerSources.StartAll();
    }

    public IReadOnlyList<PeerInfo> GetPeers() => _peers.Values.Select(ToPeerInfo).ToList();

    private void ConnectToCandidates(DateTimeOffset now)
    {
        // A magnet dials peers to fetch its metadata; a torrent dials once its files are checked.
        if (!MayDial || _session.HalfOpen >= Settings.MaxHalfOpenConnections)
        {
            return;
        }

        DropFilteredCandidates();
        int connecting = _peerList.Candidates.Count(c => c.Connecting);
        foreach (var candidate in _peerList.DialOrder(now, IsSeeding).ToList())
        {
            if (_peers.Count + connecting >= MaxPeers
                || _session.ConnectionCount >= Settings.MaxConnections
                || _session.HalfOpen >= Settings.MaxHalfOpenConnections)
            {
                return;
            }

            _ = ConnectAsync(candidate);
            connecting++;
        }
    }

    private async Task ConnectAsync(PeerCandidate candidate)
    {
        candidate.Connecting = true;
        _session.HalfOpen++;
        IPeerConnectionStream? stream = null;
        try
        {
            using var timeout = new CancellationTokenSource(Settings.ConnectTimeout, _session.Time);
            var transport = _session.Connections.ForOutgoing(candidate.EndPoint, candidate.PexFlags);
            stream = await transport.ConnectAsync(candidate.EndPoint, timeout.Token).ConfigureAwait(true);
            var connected = await _session.Negotiator.ConnectAsync(stream, WireHash, Settings.ConnectTimeout, timeout.Token).ConfigureAwait(true);
            stream = null;
            Loop.Post(_ =>
            {
                _session.HalfOpen--;
                candidate.Connecting = false;
                AttachPeer(connected.Stream, connected.Handshake, outgoing: true, candidate);
            }, null);
        }
#pragma warning disable CA1031 // Any failure to reach a peer only delays the next attempt.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(true);
            }

            Loop.Post(_ =>
            {
                _session.HalfOpen--;
                PeerList.ConnectFailed(candidate, Now);
                _session.Counters.ConnectFailed();
                _logger.LogDebug("Connecting to {EndPoint} failed: {Reason}", candidate.EndPoint, e.Message);
            }, null);
        }
    }

    public void AttachPeer(IPeerConnectionStream stream, Handshake handshake, bool outgoing, PeerCandidate? candidate)
    {
        var existing = _peers.Values.FirstOrDefault(p => p.PeerId == handshake.PeerId && !p.IsClosed);
        var verdict = PeerAdmission.Decide(new AdmissionRequest(
            _session.PeerId, handshake.PeerId, outgoing, TorrentActive: AcceptsPeers, existing?.IsOutgoing,
            IsBanned(stream.RemoteEndPoint, handshake.PeerId), _peers.Count, MaxPeers, _session.ConnectionCount, Settings.MaxConnections));
        if (verdict.Outcome == AdmissionOutcome.AdmitReplacingExisting)
        {
            Disconnect(existing!, verdict.Code, verdict.Reason!);
        }
        else if (verdict.Outcome == AdmissionOutcome.Refuse)
        {
            _logger.LogDebug("Refusing {EndPoint}: {Reason}", stream.RemoteEndPoint, verdict.Reason);
            stream.Abort();

            // As libtorrent does, a connection closed before it became a peer still says why (Connect category).
            _session.Alerts.Post(new PeerDisconnectedAlert(Handle, stream.RemoteEndPoint, verdict.Code, verdict.Reason!));
            if (candidate is not null && verdict.Code == ErrorCode.SelfConnection)
            {
                candidate.Banned = true;
            }
            else if (candidate is not null && verdict.Code == ErrorCode.DuplicateConnection)
            {
                PeerList.WasDuplicate(candidate, Now);
            }

            return;
        }

        var peer = new PeerConnection(_session.NextPeerId(), stream, handshake.PeerId,
            handshake.Reserved.Intersect(ConnectionNegotiator.OurReserved), outgoing, Now, PeerWireLimits.Default)
        {
            Candidate = candidate,
            Requests = new RequestQueue(_session.Time),
        };
        if (candidate is not null)
        {
            PeerList.Connected(candidate);
        }

        _peers.Add(peer.Id, peer);
        _session.ConnectionCount++;
        _session.Counters.Connected(outgoing);
        if (Torrent is not null)
        {
            peer.Reader.SetPieceGeometry(Torrent!.PieceCount, WirePieceSize);
        }

        peer.OnSendDrained = p => Loop.Post(_ => ServeUploads(p), null);
        _ = RunPeerAsync(peer);
        _session.Alerts.Post(new PeerConnectedAlert(Handle, peer.EndPoint, peer.Client, outgoing));
        OnPeerReady(peer);
    }

    /// <summary>Sends what a new peer must see first: our pieces and our extensions.</summary>
    private void OnPeerReady(PeerConnection peer)
    {
        if (!peer.SentExtensions && peer.Reserved.ExtensionProtocol)
        {
            peer.SentExtensions = true;
            peer.SendExtended(0, OurExtensionHandshake(peer).ToBytes());
        }

        if (peer.SentBitfield || _picker is null)
        {
            return;
        }

        peer.SentBitfield = true;

        if (peer.Reserved.FastExtension && (_have.AllSet || _have.NoneSet))
        {
            peer.SendMessage(_have.AllSet ? PeerMessageType.HaveAll : PeerMessageType.HaveNone);
        }
        else if (!_have.NoneSet)
        {
            peer.SendBitfield(_have);
        }
    }

    private async Task RunPeerAsync(PeerConnection peer)
    {
        var sending = _session.Services.Background.Run(peer.SendLoopAsync);
        var (code, reason) = await _session.Services.Background.Run(() => peer.ReceiveLoopAsync((p, batch) => Loop.Post(_ => OnMessages(p, batch), null))).ConfigureAwait(true);
        peer.Close();
        await sending.ConfigureAwait(true);
        peer.Dispose();
        OnPeerClosed(peer, code, reason);
    }

    private static void Disconnect(PeerConnection peer, ErrorCode code, string reason)
    {
        peer.CloseReason ??= (code, reason);
        peer.Close();
    }

    private void DisconnectAll(ErrorCode code, string reason)
    {
        foreach (var peer in _peers.Values.ToList())
        {
            Disconnect(peer, code, reason);
        }
    }

    private void OnPeerClosed(PeerConnection peer, ErrorCode code, string reason)
    {
        if (!_peers.Remove(peer.Id))
        {
            return;
        }

        _session.ConnectionCount--;
        ExtensionsPeerClosed(peer);
        RememberClosedPeerTotals(peer);
        (code, reason) = peer.CloseReason ?? (code, reason);
        foreach (var (block, _) in peer.Outstanding.Values)
        {
            _writer?.Release(block.Length);
        }

        peer.Outstanding.Clear();
        _picker?.PeerLeft(peer.Id);
        if (peer.Candidate is { } candidate)
        {
            PeerList.Disconnected(candidate, peer.HasAll, Now);
        }

        if ((int)code is >= 700 and < 800)
        {
            _session.Counters.ProtocolError();
            _session.Alerts.Post(new PeerErrorAlert(Handle, peer.EndPoint, code, reason));
        }

        _session.Alerts.Post(new PeerDisconnectedAlert(Handle, peer.EndPoint, code, reason));
        foreach (var other in _peers.Values)
        {
            Refill(other);
        }
    }

    private void Ban(PeerConnection peer, string reason)
    {
        _peerList.Ban(peer.EndPoint, peer.PeerId, reason);
        if (peer.Candidate is not null)
        {
            peer.Candidate.Banned = true;
        }

        _session.Counters.Banned();
        _session.Alerts.Post(new PeerBanAlert(Handle, peer.EndPoint, reason));
        Disconnect(peer, ErrorCode.PeerBanned, reason);
    }

    private bool IsBanned(IPEndPoint endPoint, PeerId? peerId) => _peerList.IsBanned(endPoint, peerId);

    private void RunChoker(DateTimeOffset now)
    {
        _lastChoke = now;
        _chokerPeers.Clear();
        foreach (var peer in _peers.Values)
        {
            _chokerPeers.Add(new ChokerPeer(peer.Id, peer.PeerInterested, peer.Download.Rate(20), peer.Upload.Rate(20), peer.ConnectedAt, peer.Requests!.IsSnubbed));
        }

        _unchoke.Clear();
        _choker.Evaluate(now, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_chokerPeers), IsSeeding, _unchoke);
        foreach (var peer in _peers.Values)
        {
            SetChoked(peer, !_unchoke.Contains(peer.Id));
        }
    }

    private static void SetChoked(PeerConnection peer, bool choke)
    {
        if (peer.AmChoking == choke)
        {
            return;
        }

        peer.AmChoking = choke;
        peer.SendMessage(choke ? PeerMessageType.Choke : PeerMessageType.Unchoke);
        if (choke)
        {
            // BEP 6: a choked peer with the fast extension hears that each pending request is dropped.
            foreach (var block in peer.PeerRequests)
            {
                if (peer.Reserved.FastExtension)
                {
                    peer.SendReject(block);
                }
            }

            peer.PeerRequests.Clear();
        }
    }

    private int UnchokedCount => _peers.Values.Count(p => !p.AmChoking);

    private PeerInfo ToPeerInfo(PeerConnection peer) => new()
    {
        EndPoint = peer.EndPoint,
        Client = peer.Extensions?.ClientName is { Length: > 0 } name ? name : peer.Client,
        PeerId = Convert.ToHexString(peer.PeerId.ToArray()).ToLowerInvariant(),
        IsOutgoing = peer.IsOutgoing,
        Progress = peer.Have is { Count: > 0 } have ? (double)have.SetCount / have.Count : 0,
        IsSeed = peer.HasAll,
        AmInterested = peer.AmInterested,
        AmChoking = peer.AmChoking,
        PeerInterested = peer.PeerInterested,
        PeerChoking = peer.PeerChoking,
        IsSnubbed = peer.Requests?.IsSnubbed ?? false,
        DownloadRate = peer.Download.Rate(),
        UploadRate = peer.Upload.Rate(),
        TotalDownload = peer.Download.Total,
        TotalUpload = peer.Upload.Total,
        PendingRequests = peer.Outstanding.Count,
        PeerPendingRequests = peer.PeerRequests.Count,
        HashFailures = peer.HashFailures,
        Source = peer.Candidate?.SourceName ?? "incoming",
        SupportsExtensions = peer.Reserved.ExtensionProtocol,
        SupportsFastExtension = peer.Reserved.FastExtension,
        ConnectedAt = peer.ConnectedAt,
        PiecesDownloaded = peer.Have?.SetCount ?? 0,
        LastRequest = peer.LastRequest is { } sent ? Now - sent : null,
        LastActive = Now - peer.LastReceived,
    };
}
