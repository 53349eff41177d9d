using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Discovery;
using GodotTorrent.Net;
using GodotTorrent.Net.Handshake;
using GodotTorrent.Peers;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Session;
using GodotTorrent.Swarm;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Torrent;

/// <summary>
/// The live connections of one torrent: dialling known peers through the session's connection
/// policy and negotiator, attaching connections that pass admission, disconnecting and banning,
/// the IP filter, choker rounds and <see cref="PeerInfo"/> snapshots. Peer sources deliver here.
/// Engine loop only; the dictionary of connections and the peer list are the torrent's, shared.
/// </summary>
internal sealed class TorrentConnections(
    TorrentSession session,
    ITorrentConnectionsHost host,
    Dictionary<int, PeerConnection> peers,
    PeerList peerList,
    Choker choker,
    int defaultMaxConnections,
    ILogger logger) : IPeerSink
{
    private readonly List<ChokerPeer> _chokerPeers = [];
    private readonly List<int> _unchoke = [];
    private readonly ConnectionSlots _slots = new();
    private readonly PeerDialer _dialer = new(session);
    private readonly List<PeerConnection> _ticking = [];
    private int? _maxConnections;
    private long _closedWireDownload;
    private long _closedWireUpload;

    /// <summary>The most peers this torrent keeps connected: its own limit, capped by the session's per-torrent limit.</summary>
    public int MaxPeers
    {
        get
        {
            int own = _maxConnections ?? defaultMaxConnections;
            return own > 0 ? Math.Min(own, Settings.MaxConnectionsPerTorrent) : Settings.MaxConnectionsPerTorrent;
        }
    }

    /// <summary>Every byte received from peers this session, closed connections included.</summary>
    public long WireDownloadTotal => _closedWireDownload + peers.Values.Sum(p => p.WireDownload.Total);

    /// <summary>Every byte sent to peers this session, closed connections included.</summary>
    public long WireUploadTotal => _closedWireUpload + peers.Values.Sum(p => p.WireUpload.Total);

    public int UnchokedCount => peers.Values.Count(p => !p.AmChoking);

    private SessionSettings Settings => session.Settings;

    private DateTimeOffset Now => session.Time.GetUtcNow();

    public void RememberClosedPeerTotals(PeerConnection peer)
    {
        _closedWireDownload += peer.WireDownload.Total;
        _closedWireUpload += peer.WireUpload.Total;
    }

    public void SetMaxConnections(int limit)
    {
        if (limit < 0)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, "A connection limit is 0 (the session's limit) or positive.");
        }

        _maxConnections = limit;
        int excess = peers.Count - MaxPeers;
        if (excess > 0)
        {
            // The newest connections go first: the older ones have proven themselves.
            foreach (var peer in peers.Values.Where(p => !p.IsClosed).OrderByDescending(p => p.ConnectedAt).Take(excess).ToList())
            {
                Disconnect(peer, ErrorCode.TooManyConnections, "the torrent's connection limit was lowered");
            }
        }

        ConnectToCandidates(Now);
    }

    public static void Disconnect(PeerConnection peer, ErrorCode code, string reason)
    {
        peer.CloseReason ??= (code, reason);
        peer.Close();
    }

    public static void SetChoked(PeerConnection peer, bool choke)
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

    public void AddPeer(IPEndPoint endPoint, PeerSource source, bool connectNow, PexFlags flags = PexFlags.None)
    {
        if (host.Torrent is { IsPrivate: true } && (source & PeerSource.AllowedForPrivate) == 0)
        {
            return;
        }

        // Asked for by the app: try now even after failures. A protocol back-off and a ban still
        // hold: the CLI names its --peer again every few seconds, which must not redial a breaker.
        if (peerList.Add(endPoint, source, flags) is { } candidate && connectNow)
        {
            PeerList.RetryNow(candidate);
            ConnectToCandidates(Now);
        }
    }

    void IPeerSink.Discovered(IReadOnlyList<DiscoveredPeer> discovered, PeerSource source)
    {
        foreach (var peer in discovered)
        {
            AddPeer(peer.EndPoint, source, connectNow: false, peer.Flags);
        }

        ConnectToCandidates(Now);
    }

    // A connection closed on the loop (evicted, banned, refused) stays in the table until its pumps
    // end; it is no longer the torrent's peer, so the snapshot leaves it out.
    public IReadOnlyList<PeerInfo> GetPeers() => peers.Values.Where(p => !p.IsClosed).Select(ToPeerInfo).ToList();

    public void ConnectToCandidates(DateTimeOffset now)
    {
        // A magnet dials peers to fetch its metadata; a torrent dials once its files are checked.
        if (peerList.Count == 0 || !host.MayDial || session.HalfOpen >= Settings.MaxHalfOpenConnections)
        {
            return;
        }

        DropFilteredCandidates();
        int connecting = peerList.Candidates.Count(c => c.Connecting);
        foreach (var candidate in peerList.DialOrder(now, host.IsSeeding).ToList())
        {
            if (peers.Count + connecting >= MaxPeers
                || session.ConnectionCount >= Settings.MaxConnections
                || session.HalfOpen >= Settings.MaxHalfOpenConnections)
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
        session.HalfOpen++;
        var (endPoint, flags, wireHash, speaksMse, speaksUtp) = (candidate.EndPoint, candidate.PexFlags, host.WireHash, candidate.SpeaksMse, candidate.SpeaksUtp);
        var outcome = await session.Services.Background.Run(() => _dialer.DialAsync(endPoint, flags, wireHash, speaksMse, speaksUtp)).ConfigureAwait(true);
        session.Loop.Post(_ =>
        {
            session.HalfOpen--;
            candidate.SpeaksMse = outcome.SpeaksMse;
            candidate.SpeaksUtp = outcome.SpeaksUtp;
            if (outcome.Connection is { } connected)
            {
                candidate.Connecting = false;
                Attach(connected.Stream, connected.Handshake, outgoing: true, candidate, connected.Encryption);
                return;
            }

            PeerList.ConnectFailed(candidate, Now);
            session.Counters.ConnectFailed();
            logger.LogDebug("Connecting to {EndPoint} failed: {Reason}", candidate.EndPoint, outcome.Failure?.Message);
            if (outcome.Failure is PeerProtocolException refused)
            {
                session.Alerts.Post(new HandshakeFailedAlert(host.Handle, candidate.EndPoint, Incoming: false, refused.ErrorCode, refused.Message));
            }
        }, null);
    }

    public void Attach(IPeerConnectionStream stream, Handshake handshake, bool outgoing, PeerCandidate? candidate, PeerEncryption encryption)
    {
        var existing = peers.Values.FirstOrDefault(p => p.PeerId == handshake.PeerId && !p.IsClosed);
        var address = stream.RemoteEndPoint.Address;
        var verdict = PeerAdmission.Decide(new AdmissionRequest(
            session.PeerId, handshake.PeerId, outgoing, TorrentActive: host.AcceptsPeers, existing?.IsOutgoing,
            IsBanned(stream.RemoteEndPoint, handshake.PeerId), peers.Count, MaxPeers, session.ConnectionCount, Settings.MaxConnections,
            ConnectionSlots.OpenFrom(peers.Values, address), Settings.AllowMultipleConnectionsPerIp ? Settings.MaxConnectionsPerAddress : 1,
            ExistingFromSameAddress: existing?.EndPoint.Address.Equals(address) == true,
            ExistingSilentFor: existing is null ? TimeSpan.Zero : Now - existing.LastReceived));
        if (verdict.Outcome == AdmissionOutcome.AdmitReplacingExisting)
        {
            Disconnect(existing!, verdict.Code, verdict.Reason!);
        }
        else if (verdict.Outcome == AdmissionOutcome.Refuse
            || (verdict.Outcome is AdmissionOutcome.AdmitMakingRoom or AdmissionOutcome.AdmitMakingRoomForAddress
                && !MakeRoom(verdict.Outcome == AdmissionOutcome.AdmitMakingRoomForAddress ? address : null)))
        {
            Refuse(stream, candidate, verdict);
            return;
        }

        var peer = new PeerConnection(session.NextPeerId(), stream, handshake.PeerId,
            handshake.Reserved.Intersect(session.Negotiator.Offered), outgoing, Now, PeerWireLimits.Default)
        {
            Candidate = candidate,
            Requests = new RequestQueue(session.Time),
            Encryption = encryption,
            Transport = stream.Transport,
            SpeaksV2 = host.InfoHashes.V2 is { } v2 && (handshake.Reserved.V2Upgrade || handshake.InfoHash == new Id20(v2.Truncated)),
        };
        if (candidate is not null)
        {
            PeerList.Connected(candidate);
        }

        if (stream.Transport == PeerTransport.Utp && peerList.TryGet(stream.RemoteEndPoint, out var known))
        {
            // A uTP connection comes from the peer's listening socket: that endpoint speaks uTP.
            known.SpeaksUtp = true;
        }

        peers.Add(peer.Id, peer);
        session.ConnectionCount++;
        session.Counters.Connected(outgoing, encryption != PeerEncryption.None, stream.Transport == PeerTransport.Utp);
        if (host.Torrent is { } torrent)
        {
            peer.Reader.SetPieceGeometry(torrent.PieceCount, host.WirePieceSize);
        }

        peer.OnSendDrained = p => session.Loop.Post(_ => host.ServeUploads(p), null);
        _ = RunPeerAsync(peer);
        session.Alerts.Post(new PeerConnectedAlert(host.Handle, peer.EndPoint, peer.Client, outgoing));
        OnPeerReady(peer);
    }

    // Closes the least useful connection (from one address, or any) so a newcomer can have its slot.
    // When only the session is full, another torrent's useless connection frees a slot as well.
    private bool MakeRoom(IPAddress? from)
    {
        if (TryEvict(from))
        {
            return true;
        }

        if (from is not null || peers.Count >= MaxPeers)
        {
            return false;
        }

        foreach (var other in session.Runtimes)
        {
            if (other.TryEvictForStranger())
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Closes this torrent's least useful connection (from <paramref name="from"/> only, when given); false when every one is more useful than a stranger.</summary>
    public bool TryEvict(IPAddress? from)
    {
        if (_slots.LeastUseful(peers.Values, from, host.IsSeeding, Now) is not { } victim)
        {
            return false;
        }

        logger.LogDebug("Closing {Victim} to make room for a newcomer", victim.EndPoint);
        session.Counters.Evicted();
        Disconnect(victim, ErrorCode.TooManyConnections, "closed to make room for a more useful peer");
        return true;
    }

    /// <summary>
    /// The once-a-second check of what each connection is worth: notes payload and interest, and
    /// closes connections silent since their handshake or, when slots are scarce, of no use to either side.
    /// </summary>
    public void Tick(DateTimeOffset now)
    {
        var limits = new IdleLimits(Settings.PeerSilenceTimeout, Settings.PeerUselessTimeout,
            PeerIdleRules.IsNearLimit(peers.Count, MaxPeers) || PeerIdleRules.IsNearLimit(session.ConnectionCount, Settings.MaxConnections));
        // A copy: closing a connection may remove it from the dictionary at once.
        _ticking.Clear();
        _ticking.AddRange(peers.Values);
        foreach (var peer in _ticking)
        {
            if (peer.IsClosed)
            {
                continue;
            }

            ConnectionSlots.NoteUse(peer, now);
            if (PeerIdleRules.Expired(ConnectionSlots.Describe(peer, host.IsSeeding, now), peer.ConnectedAt, now, limits) is { } reason)
            {
                logger.LogDebug("Dropping {EndPoint}: {Reason}", peer.EndPoint, reason);
                session.Counters.Evicted();
                Disconnect(peer, ErrorCode.PeerInactive, reason);
            }
        }

        _ticking.Clear();
    }

    private void Refuse(IPeerConnectionStream stream, PeerCandidate? candidate, AdmissionVerdict verdict)
    {
        logger.LogDebug("Refusing {EndPoint}: {Reason}", stream.RemoteEndPoint, verdict.Reason);
        stream.Abort();

        // As libtorrent does, a connection closed before it became a peer still says why (Connect category).
        session.Alerts.Post(new PeerDisconnectedAlert(host.Handle, stream.RemoteEndPoint, verdict.Code, verdict.Reason!));
        if (candidate is not null && verdict.Code == ErrorCode.SelfConnection)
        {
            candidate.Banned = true;
        }
        else if (candidate is not null && verdict.Code == ErrorCode.DuplicateConnection)
        {
            PeerList.WasDuplicate(candidate, Now);
        }
    }

    /// <summary>Sends what a new peer must see first: our pieces and our extensions.</summary>
    public void OnPeerReady(PeerConnection peer)
    {
        if (!peer.SentExtensions && peer.Reserved.ExtensionProtocol)
        {
            peer.SentExtensions = true;
            peer.SendExtended(0, host.OurExtensionHandshake(peer).ToBytes());
        }

        if (!peer.SentBitfield && host.HasPicker)
        {
            peer.SentBitfield = true;
            var have = host.OurPieces;
            if (peer.Reserved.FastExtension && (have.AllSet || have.NoneSet))
            {
                peer.SendMessage(have.AllSet ? PeerMessageType.HaveAll : PeerMessageType.HaveNone);
            }
            else if (!have.NoneSet)
            {
                peer.SendBitfield(have);
            }
        }

        // BEP 5: both sides set the DHT bit, so tell the peer where our node listens.
        if (!peer.SentDhtPort && peer.Reserved.Dht && session.Dht.Port is > 0 and var port)
        {
            peer.SentDhtPort = true;
            peer.SendPort(port);
        }
    }

    private async Task RunPeerAsync(PeerConnection peer)
    {
        var sending = session.Services.Background.Run(peer.SendLoopAsync);
        var (code, reason) = await session.Services.Background.Run(() => peer.ReceiveLoopAsync((p, batch) => session.Loop.Post(_ => host.OnMessages(p, batch), null))).ConfigureAwait(true);
        peer.Close();
        await sending.ConfigureAwait(true);
        peer.Dispose();
        OnPeerClosed(peer, code, reason);
    }

    public void DisconnectAll(ErrorCode code, string reason)
    {
        foreach (var peer in peers.Values.ToList())
        {
            Disconnect(peer, code, reason);
        }
    }

    private void OnPeerClosed(PeerConnection peer, ErrorCode code, string reason)
    {
        if (!peers.Remove(peer.Id))
        {
            return;
        }

        session.ConnectionCount--;
        host.PeerClosed(peer);
        (code, reason) = peer.CloseReason ?? (code, reason);
        if (peer.Candidate is { } candidate)
        {
            PeerList.Disconnected(candidate, peer.HasAll, Now);
        }

        if ((int)code is >= 700 and < 800)
        {
            session.Counters.ProtocolError();
            session.Alerts.Post(new PeerErrorAlert(host.Handle, peer.EndPoint, code, reason));
            StrikeForProtocol(peer, reason);
        }

        session.Alerts.Post(new PeerDisconnectedAlert(host.Handle, peer.EndPoint, code, reason));
        foreach (var other in peers.Values)
        {
            host.Refill(other);
        }
    }

    /// <summary>
    /// Bans an address (and peer id), connected or not: the record refuses it when it comes in and
    /// stops dialling it; connections it has now are closed. Said once per address.
    /// </summary>
    public void BanAddress(IPEndPoint endPoint, PeerId peerId, string reason)
    {
        bool already = peerList.IsBanned(endPoint, peerId);
        peerList.Ban(endPoint, peerId, reason);
        foreach (var peer in peers.Values)
        {
            if (!peer.IsClosed && (peerList.IsBanned(peer.EndPoint, peer.PeerId) || peerList.IsBanned(peer.StandingEndPoint, null)))
            {
                Disconnect(peer, ErrorCode.PeerBanned, reason);
            }
        }

        if (!already)
        {
            logger.LogInformation("Banned {EndPoint}: {Reason}", endPoint, reason);
            session.Counters.Banned();
            session.Alerts.Post(new PeerBanAlert(host.Handle, endPoint, reason));
        }
    }

    /// <summary>
    /// Smart ban's verdict on a sender of bad data: proven (its block differed from the data that
    /// passed) bans at once; otherwise a strike on its address, which bans after
    /// <see cref="SessionSettings.MaxHashFailuresPerPeer"/>.
    /// </summary>
    public void BlameForBadData(BlockSender sender, bool proven, string reason)
    {
        foreach (var peer in peers.Values)
        {
            if (peer.PeerId == sender.PeerId && peer.StandingEndPoint.Equals(sender.EndPoint))
            {
                peer.HashFailures++;
            }
        }

        if (peerList.IsBanned(sender.EndPoint, sender.PeerId))
        {
            return;
        }

        if (proven || peerList.HashStrike(sender.EndPoint, Settings.MaxHashFailuresPerPeer))
        {
            int strikes = peerList.FindRecord(sender.EndPoint)?.HashStrikes ?? 0;
            BanAddress(sender.EndPoint, sender.PeerId, proven ? reason : $"{reason} ({strikes} strikes)");
        }
        else
        {
            logger.LogDebug("Strike for {EndPoint}: {Reason}", sender.EndPoint, reason);
        }
    }

    // The one place a protocol violation lands (every 7xx close): a strike with a back-off before any redial, a ban after repeats.
    private void StrikeForProtocol(PeerConnection peer, string reason)
    {
        if (peerList.ProtocolStrike(peer.StandingEndPoint, Now, Settings.MaxProtocolStrikesPerPeer))
        {
            BanAddress(peer.StandingEndPoint, peer.PeerId, $"it broke the protocol {Settings.MaxProtocolStrikesPerPeer} times (last: {reason})");
        }
    }

    private bool IsBanned(IPEndPoint endPoint, PeerId? peerId) => peerList.IsBanned(endPoint, peerId);

    /// <summary>Forgets known peers the filter blocks (one alert each), so they are never dialled.</summary>
    private void DropFilteredCandidates()
    {
        var filter = Settings.IpFilter;
        if (filter.Rules.Count == 0)
        {
            return;
        }

        foreach (var endPoint in peerList.RemoveBlocked(filter.IsBlocked))
        {
            session.Alerts.Post(new PeerBlockedAlert(host.Handle, endPoint, Incoming: false));
        }
    }

    /// <summary>Closes connections to addresses the filter now blocks and forgets blocked peers.</summary>
    public void ApplyIpFilter()
    {
        var filter = Settings.IpFilter;
        if (filter.Rules.Count == 0)
        {
            return;
        }

        foreach (var peer in peers.Values.ToList())
        {
            if (!peer.IsClosed && filter.IsBlocked(peer.EndPoint.Address))
            {
                Disconnect(peer, ErrorCode.ConnectionClosedLocally, "the IP filter blocks the peer's address");
                session.Alerts.Post(new PeerBlockedAlert(host.Handle, peer.EndPoint, !peer.IsOutgoing));
            }
        }

        DropFilteredCandidates();
    }

    public void RunChoker(DateTimeOffset now)
    {
        _chokerPeers.Clear();
        foreach (var peer in peers.Values)
        {
            _chokerPeers.Add(new ChokerPeer(peer.Id, peer.PeerInterested, peer.Download.Rate(20), peer.Upload.Rate(20), peer.ConnectedAt, peer.Requests!.IsSnubbed));
        }

        _unchoke.Clear();
        choker.Evaluate(now, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_chokerPeers), host.IsSeeding, _unchoke);
        foreach (var peer in peers.Values)
        {
            SetChoked(peer, !_unchoke.Contains(peer.Id));
        }
    }

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
        Encryption = peer.Encryption,
        Transport = peer.Transport,
    };
}
