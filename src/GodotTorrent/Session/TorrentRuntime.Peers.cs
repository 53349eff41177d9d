using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Swarm;
using GodotTorrent.Transport;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Session;

/// <summary>Finding, dialling, accepting, choking and dropping peers.</summary>
internal sealed partial class TorrentRuntime
{
    private const int MaxCandidates = 2000;
    private readonly List<ChokerPeer> _chokerPeers = [];
    private readonly List<int> _unchoke = [];

    public void AddPeer(IPEndPoint endPoint, string source, bool connectNow)
    {
        endPoint = endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
        if (endPoint.Port == 0 || _candidates.Count >= MaxCandidates)
        {
            return;
        }

        if (!_candidates.TryGetValue(endPoint, out var candidate))
        {
            candidate = new PeerCandidate(endPoint, source);
            _candidates[endPoint] = candidate;
        }

        // Asked for by the app: try now even after failures.
        if (connectNow)
        {
            candidate.NextAttempt = default;
            candidate.Banned = false;
            candidate.WasSeed = false;
            ConnectToCandidates(Now);
        }
    }

    public IReadOnlyList<PeerInfo> GetPeers() => _peers.Values.Select(ToPeerInfo).ToList();

    private void ConnectToCandidates(DateTimeOffset now)
    {
        // A magnet dials peers to fetch its metadata; a torrent dials once its files are checked.
        if (_candidates.Count == 0 || Halted || _stopped || (_picker is null && Torrent is not null) || _session.HalfOpen >= Settings.MaxHalfOpenConnections)
        {
            return;
        }

        DropFilteredCandidates();
        int connecting = _candidates.Values.Count(c => c.Connecting);
        foreach (var candidate in _candidates.Values)
        {
            if (_peers.Count + connecting >= MaxPeers
                || _session.ConnectionCount >= Settings.MaxConnections
                || _session.HalfOpen >= Settings.MaxHalfOpenConnections)
            {
                return;
            }

            if (candidate.Connected || candidate.Connecting || candidate.Banned || candidate.NextAttempt > now
                || (candidate.WasSeed && IsSeeding) || IsBanned(candidate.EndPoint, null))
            {
                continue;
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
            stream = await _session.Transport.ConnectAsync(candidate.EndPoint, timeout.Token).ConfigureAwait(false);
            var handshake = await PeerHandshaker.HandshakeOutgoingAsync(stream, WireHash, _session.PeerId, timeout.Token).ConfigureAwait(false);
            var connected = stream;
            stream = null;
            Loop.Post(_ =>
            {
                _session.HalfOpen--;
                candidate.Connecting = false;
                AttachPeer(connected, handshake, outgoing: true, candidate);
            }, null);
        }
#pragma warning disable CA1031 // Any failure to reach a peer only delays the next attempt.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            Loop.Post(_ =>
            {
                _session.HalfOpen--;
                candidate.Connecting = false;
                candidate.Failures++;
                _session.Counters.ConnectFailed();
                candidate.NextAttempt = Now + RetryDelay(candidate.Failures);
                _logger.LogDebug("Connecting to {EndPoint} failed: {Reason}", candidate.EndPoint, e.Message);
            }, null);
        }
    }

    // Back off 5 s, 10 s, 20 s ... up to 10 minutes.
    private static TimeSpan RetryDelay(int failures) => TimeSpan.FromSeconds(Math.Min(600, 5 * Math.Pow(2, Math.Min(failures - 1, 7))));

    public void AttachPeer(IPeerConnectionStream stream, Handshake handshake, bool outgoing, PeerCandidate? candidate)
    {
        string? refusal = null;
        var code = ErrorCode.None;
        // Peers may connect while the files are checked; they hear our pieces once the check is done.
        if (_stopped || Halted)
        {
            (code, refusal) = (ErrorCode.ConnectionClosedLocally, "the torrent is not active");
        }
        else if (_session.IsOurPeerId(handshake.PeerId))
        {
            (code, refusal) = (ErrorCode.SelfConnection, "the connection led back to ourselves");
            if (candidate is not null)
            {
                candidate.Banned = true;
            }
        }
        else if (_peers.Values.FirstOrDefault(p => p.PeerId == handshake.PeerId && !p.IsClosed) is { } existing)
        {
            if (existing.IsOutgoing != outgoing && DialledByGreaterId(outgoing, handshake.PeerId))
            {
                // Both sides dialled at once, so each end holds two connections. Both ends keep the one
                // dialled by the greater peer id; closing "the second one" at each end could close both.
                Disconnect(existing, ErrorCode.DuplicateConnection, "both sides dialled; the other connection is kept");
            }
            else
            {
                (code, refusal) = (ErrorCode.DuplicateConnection, "already connected to this peer");
            }
        }
        else if (IsBanned(stream.RemoteEndPoint, handshake.PeerId))
        {
            (code, refusal) = (ErrorCode.PeerBanned, "the peer is banned");
        }
        else if (_peers.Count >= MaxPeers || _session.ConnectionCount >= Settings.MaxConnections)
        {
            (code, refusal) = (ErrorCode.TooManyConnections, "connection limit reached");
        }

        if (refusal is not null)
        {
            _logger.LogDebug("Refusing {EndPoint}: {Reason}", stream.RemoteEndPoint, refusal);
            stream.Abort();

            // As libtorrent does, a connection closed before it became a peer still says why (Connect category).
            _session.Alerts.Post(new PeerDisconnectedAlert(Handle, stream.RemoteEndPoint, code, refusal));
            if (candidate is not null && code == ErrorCode.DuplicateConnection)
            {
                candidate.NextAttempt = Now + TimeSpan.FromMinutes(1);
            }

            return;
        }

        var peer = new PeerConnection(_session.NextPeerId(), stream, handshake.PeerId,
            handshake.Reserved.Intersect(PeerHandshaker.OurReserved), outgoing, Now, PeerWireLimits.Default)
        {
            Candidate = candidate,
            Requests = new RequestQueue(_session.Time),
        };
        if (candidate is not null)
        {
            candidate.Connected = true;
            candidate.Failures = 0;
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

    // True when the connection was dialled by whichever of the two peers has the greater id.
    private bool DialledByGreaterId(bool outgoing, PeerId theirs)
    {
        Span<byte> ours = stackalloc byte[PeerId.Length];
        Span<byte> other = stackalloc byte[PeerId.Length];
        _session.PeerId.CopyTo(ours);
        theirs.CopyTo(other);
        bool oursGreater = ours.SequenceCompareTo(other) > 0;
        return outgoing == oursGreater;
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
        var sending = Task.Run(peer.SendLoopAsync);
        var (code, reason) = await Task.Run(() => peer.ReceiveLoopAsync((p, batch) => Loop.Post(_ => OnMessages(p, batch), null))).ConfigureAwait(true);
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
            candidate.Connected = false;
            candidate.WasSeed = peer.HasAll;
            candidate.NextAttempt = Now + TimeSpan.FromSeconds(10);
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
        _banned.Add(peer.PeerId.ToString());
        _banned.Add(BanKey(peer.EndPoint));
        if (peer.Candidate is not null)
        {
            peer.Candidate.Banned = true;
        }

        _session.Counters.Banned();
        _session.Alerts.Post(new PeerBanAlert(Handle, peer.EndPoint, reason));
        Disconnect(peer, ErrorCode.PeerBanned, reason);
    }

    private bool IsBanned(IPEndPoint endPoint, PeerId? peerId) =>
        _banned.Contains(BanKey(endPoint)) || (peerId is { } id && _banned.Contains(id.ToString()));

    // Where many peers share an address (a swarm on one machine), the port tells them apart.
    private string BanKey(IPEndPoint endPoint) => Settings.AllowMultipleConnectionsPerIp
        ? endPoint.ToString()
        : endPoint.Address.ToString();

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
        Source = peer.Candidate?.Source ?? "incoming",
        SupportsExtensions = peer.Reserved.ExtensionProtocol,
        SupportsFastExtension = peer.Reserved.FastExtension,
        ConnectedAt = peer.ConnectedAt,
        PiecesDownloaded = peer.Have?.SetCount ?? 0,
        LastRequest = peer.LastRequest is { } sent ? Now - sent : null,
        LastActive = Now - peer.LastReceived,
    };
}
