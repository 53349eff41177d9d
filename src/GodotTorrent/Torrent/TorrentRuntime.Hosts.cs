using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Discovery;
using GodotTorrent.Metainfo;
using GodotTorrent.Net;
using GodotTorrent.Peers;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Session;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;
using GodotTorrent.WebSeeds;
using GodotTorrent.Wire;

namespace GodotTorrent.Torrent;

/// <summary>The components' host interfaces: the torrent's side of the data, swarm, peer messages, uploads, connections, extensions and trackers.</summary>
internal sealed partial class TorrentRuntime : ITorrentDataHost, ITorrentSwarmHost, IPeerMessageHost, IUploadHost, ITorrentConnectionsHost, IExtensionHost, IMetadataPhaseHost, IWebSeedHost
{
    bool ITorrentDataHost.IsStopped => _lifecycle.IsStopped;

    (long Downloaded, long Uploaded) ITorrentDataHost.TransferredThisRun => (_download.Total, _upload.Total);

    SeedGoals ITorrentDataHost.SeedGoals => _seedGoals;

    IPieceStorage ITorrentDataHost.CountDiskBytes(IPieceStorage storage) => CountDiskBytes(storage);

    void ITorrentDataHost.SetState(TorrentState state) => SetState(state);

    void ITorrentDataHost.Fail(ErrorCode code, string message, StorageException? storageError) => Fail(code, message, storageError);

    void ITorrentDataHost.BuildSwarmState(Bitfield have) => BuildSwarmState(have);

    void ITorrentDataHost.DropPicker() => _swarm.Picker = null;

    void ITorrentDataHost.UpdateCompletionState(bool announce) => UpdateCompletionState(announce);

    void ITorrentDataHost.MovedTo(string savePath) => SavePath = savePath;

    void ITorrentDataHost.OnPieceWriteFailed(int piece) => _swarm.Picker?.PieceFailed(piece);

    void ITorrentDataHost.CancelAllRequests() => _swarm.CancelAllRequests();

    void ITorrentDataHost.FenceLifted()
    {
        foreach (var peer in _peers.Values)
        {
            _swarm.Refill(peer);
            _uploads.Serve(peer);
        }
    }

    private void BuildSwarmState(Bitfield have)
    {
        var writer = _data.Open(have);
        _swarm.CreatePicker(_session.Services.CreateRandom(), _params.SequentialDownload, _params.FirstAndLastPiecesFirst);
        _data.StartWriterEvents(writer);
        UpdateCompletionState(announce: false);
        foreach (var peer in _peers.Values)
        {
            _swarm.AddExistingPeer(peer);
            _connections.OnPeerReady(peer);
            _protocol.UpdateInterest(peer);
        }

        _connections.ConnectToCandidates(Now);
        _announcer.AnnounceIfDue(Now);
        _webSeedSet.Update();
    }

    void ITorrentDataHost.OnPiecePassed(int piece, ulong[]? blockDigests) => _swarm.OnPiecePassed(piece, blockDigests);

    void ITorrentDataHost.OnPieceFailed(int piece, ulong[]? blockDigests, byte[]? leafHashes) => _hashes.OnPieceFailed(piece, blockDigests, leafHashes, Now);

    public Priority GetPiecePriority(int piece) => _swarm.GetPiecePriority(piece);

    public void SetPiecePriority(int piece, Priority priority) => _swarm.SetPiecePriority(piece, priority);

    public Task RecheckAsync()
    {
        if (Torrent is null || _data.Storage is null)
        {
            return Task.CompletedTask;
        }

        _connections.DisconnectAll(ErrorCode.ConnectionClosedLocally, "the torrent is being rechecked");
        return _data.RecheckAsync();
    }

    public IReadOnlyList<Priority> GetFilePriorities() => [.. _data.FilePriorities];

    public Task SetFilePriorityAsync(int fileIndex, Priority priority)
    {
        if (Torrent is null || (uint)fileIndex >= (uint)_data.FilePriorities.Length)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"There is no file {fileIndex}.");
        }

        var priorities = (Priority[])_data.FilePriorities.Clone();
        priorities[fileIndex] = priority;
        return SetFilePrioritiesAsync(priorities);
    }

    public async Task SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities)
    {
        await _data.SetFilePrioritiesAsync(priorities).ConfigureAwait(true);
        _data.ApplyPiecePriorities(_swarm.Picker);
        UpdateCompletionState(announce: true);
        _swarm.UpdateInterestAndRefill();
    }

    private void UpdateCompletionState(bool announce)
    {
        if (_swarm.Picker is null)
        {
            return;
        }

        var state = IsSeeding ? TorrentState.Seeding : _data.AllWantedDone(_swarm.Picker) ? TorrentState.Finished : TorrentState.Downloading;
        bool finishedNow = state != TorrentState.Downloading && _lifecycle.State is TorrentState.Downloading or TorrentState.CheckingFiles;
        if (state != TorrentState.Downloading)
        {
            _data.CompletedTime ??= Now;
        }

        SetState(state);
        _webSeedSet.Update();
        if (finishedNow && announce)
        {
            _announcer.CompletedPending = true;
            _announcer.AnnounceIfDue(Now);
            _session.Alerts.Post(new TorrentFinishedAlert(Handle));
            _ = _data.FlushAsync();
        }

        if (IsSeeding)
        {
            // Two seeds have nothing to trade.
            foreach (var peer in _peers.Values.Where(p => p.HasAll).ToList())
            {
                TorrentConnections.Disconnect(peer, ErrorCode.PeerNotUseful, "both sides are seeds");
            }
        }
    }

    bool ITorrentSwarmHost.MayRequest => Phase.AllowsRequesting();

    DateTimeOffset ITorrentSwarmHost.Now => Now;

    void ITorrentSwarmHost.WarnPerformance(string warning) => WarnPerformance(warning);

    void ITorrentSwarmHost.UpdateInterest(PeerConnection peer) => _protocol.UpdateInterest(peer);

    void ITorrentSwarmHost.ServeUploads(PeerConnection peer) => _uploads.Serve(peer);

    void ITorrentSwarmHost.BlameForBadData(BlockSender sender, bool proven, string reason) => _connections.BlameForBadData(sender, proven, reason);

    void ITorrentSwarmHost.WebSeedPieceFailed(WebSeedPeer seed, int piece) => _webSeedSet.PieceFailed(seed, piece);

    PiecePicker? IWebSeedHost.Picker => _swarm.Picker;

    bool IWebSeedHost.WantsWebSeeds => Phase.AllowsRequesting() && _lifecycle.State == TorrentState.Downloading && !_swarm.UploadOnly && _data.Writer is not null;

    IReadOnlyList<string> IWebSeedHost.WebSeedUrls => WebSeeds.Urls;

    RequestScheduler IWebSeedHost.Requests => _swarm.Requests;

    void IWebSeedHost.Refill(IRemotePeer source) => _swarm.Refill(source);

    void IWebSeedHost.OnBlock(WebSeedPeer seed, BlockRequest block, byte[] buffer) => _swarm.OnWebSeedBlock(seed, block, buffer);

    bool IPeerMessageHost.IsStopped => _lifecycle.IsStopped;

    DateTimeOffset IPeerMessageHost.Now => Now;

    int? IPeerMessageHost.PieceCount => Torrent?.PieceCount;

    PiecePicker? IPeerMessageHost.Picker => _swarm.Picker;

    Bitfield IPeerMessageHost.OurPieces => _data.Have;

    bool IPeerMessageHost.IsSeeding => IsSeeding;

    bool IPeerMessageHost.UploadOnly => _swarm.UploadOnly;

    RequestScheduler IPeerMessageHost.Requests => _swarm.Requests;

    bool IPeerMessageHost.HasFreeUploadSlot => _connections.UnchokedCount < Settings.UploadSlotsPerTorrent;

    void IPeerMessageHost.Unchoke(PeerConnection peer) => TorrentConnections.SetChoked(peer, false);

    void IPeerMessageHost.Disconnect(PeerConnection peer, ErrorCode code, string reason) => TorrentConnections.Disconnect(peer, code, reason);

    void IPeerMessageHost.OnBlock(PeerConnection peer, in InboundMessage message) => _swarm.OnBlock(peer, message);

    void IPeerMessageHost.OnExtended(PeerConnection peer, in InboundMessage message) => _extensions!.OnExtended(peer, message);

    void IPeerMessageHost.OnHashMessage(PeerConnection peer, in InboundMessage message) => _hashes.OnMessage(peer, message, Now);

    void IPeerMessageHost.OnDhtPort(PeerConnection peer, int port) => _session.Dht.AddNode(peer.EndPoint.Address, port);

    bool IUploadHost.CanUpload => Phase.AllowsUploading() && _data.Storage is not null && !_data.Fenced;

    DateTimeOffset IUploadHost.Now => Now;

    int IUploadHost.PieceDataSize(int piece) => Torrent!.GetPieceSize(piece);

    bool IUploadHost.TryConsumeUpload(int length) => _limits.Upload.TryConsumeAll(length);

    ValueTask IUploadHost.ReadAsync(int piece, int offset, Memory<byte> buffer) => new(_data.Fence.ReadAsync(_data.Storage!, piece, offset, buffer));

    void IUploadHost.Uploaded(PeerConnection peer, int length)
    {
        peer.Upload.Add(length);
        _upload.Add(length);
    }

    void IUploadHost.ReadFailed(Storage.StorageException error) => Fail(error.ErrorCode, error.Message, error);

    void IUploadHost.RetrySoon() => _swarm.ScheduleRefill(TimeSpan.FromMilliseconds(50));

    void IPeerMessageHost.AfterBatch(PeerConnection peer)
    {
        _swarm.Refill(peer);
        _uploads.Serve(peer);
        _hashes.Refill(peer, Now);
    }

    /// <summary>
    /// The size of a piece as peers may address it. In a v2-only torrent every file is followed by
    /// an alignment gap up to the next piece boundary, the last file included; libtorrent counts
    /// those gaps as (implicit) pad files, so to it every piece is a whole piece and it requests
    /// blocks that run into a gap. Those requests are accepted and the gap is sent as zeros (see
    /// <see cref="UploadServer"/>). In v1 and hybrid torrents pads are real files: no difference.
    /// </summary>
    private int WirePieceSize(int piece)
    {
        var torrent = Torrent!;
        return torrent.HasV1 ? torrent.GetPieceSize(piece) : torrent.PieceLength;
    }

    public void AddPeer(IPEndPoint endPoint, PeerSource source, bool connectNow) => _connections.AddPeer(endPoint, source, connectNow);

    public IReadOnlyList<PeerInfo> GetPeers() => [.. _connections.GetPeers(), .. _webSeedSet.GetPeers()];

    public void AttachPeer(IPeerConnectionStream stream, Handshake handshake, bool outgoing, PeerCandidate? candidate, PeerEncryption encryption) =>
        _connections.Attach(stream, handshake, outgoing, candidate, encryption);

    /// <summary>Closes connections to addresses the session's IP filter now blocks and forgets blocked peers.</summary>
    public void ApplyIpFilter() => _connections.ApplyIpFilter();

    // Tracker and PEX sources run for the torrent's whole life; DHT and LSD join here the same way.
    private void InitializePeerSources()
    {
        _pexPeers = new PexPeerSource(_connections);
        _peerSources.Add(_announcer.PeerSource);
        _peerSources.Add(_pexPeers);
        var context = new PeerSourceContext(InfoHashes, _connections, Loop, _session.Time)
        {
            ListenPort = () => _session.AnnouncePort,
            IsSeeding = () => IsSeeding,
            MayAnnounce = () => MayAnnounce,
            NeedsPeersSoon = () => Torrent is null && _peers.Count == 0,
            HasOtherSources = () => _peerList.Count > 0 || _announcer.GetTrackers().Count > 0,
            Warn = warning => _session.Alerts.Post(new PerformanceWarningAlert(Handle, warning)),
        };
        foreach (var factory in _session.Services.PeerSources)
        {
            _peerSources.Add(factory(context));
        }

        if (Torrent is { IsPrivate: true })
        {
            _peerSources.MarkPrivate();
        }

        _peerSources.StartAll();
    }

    bool ITorrentConnectionsHost.MayDial => MayDial;

    bool ITorrentConnectionsHost.IsSeeding => IsSeeding;

    Id20 ITorrentConnectionsHost.WireHash => WireHash;

    bool ITorrentConnectionsHost.HasPicker => _swarm.Picker is not null;

    Bitfield ITorrentConnectionsHost.OurPieces => _data.Have;

    int ITorrentConnectionsHost.WirePieceSize(int piece) => WirePieceSize(piece);

    ExtensionHandshake ITorrentConnectionsHost.OurExtensionHandshake(PeerConnection peer) => _extensions!.OurHandshake(peer);

    void ITorrentConnectionsHost.OnMessages(PeerConnection peer, List<InboundMessage> batch) => _protocol.OnMessages(peer, batch);

    void ITorrentConnectionsHost.ServeUploads(PeerConnection peer) => _uploads.Serve(peer);

    void ITorrentConnectionsHost.Refill(PeerConnection peer) => _swarm.Refill(peer);

    void ITorrentConnectionsHost.PeerClosed(PeerConnection peer)
    {
        _extensions?.PeerClosed(peer);
        _hashes.PeerLeft(peer);
        _connections.RememberClosedPeerTotals(peer);
        foreach (var (block, _) in peer.Outstanding.Values)
        {
            _data.Writer?.Release(block.Length);
        }

        peer.Outstanding.Clear();
        _swarm.Picker?.PeerLeft(peer.Id);
    }

    public IEnumerable<PeerConnection> ConnectedPeers => _peers.Values;

    string IExtensionHost.ClientName => Settings.UserAgent;

    int IExtensionHost.ListenPort => _session.ListenPort;

    bool IExtensionHost.AdvertiseUploadOnly => IsSeeding || _swarm.UploadOnly;

    void IExtensionHost.ReportExternalAddress(IPAddress address) => _session.ReportExternalAddress(address);

    bool IMetadataPhaseHost.TryGetPeer(int id, out PeerConnection peer) => _peers.TryGetValue(id, out peer!);

    void IMetadataPhaseHost.Disconnect(PeerConnection peer, ErrorCode code, string reason) => TorrentConnections.Disconnect(peer, code, reason);

    void IMetadataPhaseHost.MetadataFailed(ErrorCode code, string message) => _session.Alerts.Post(new MetadataFailedAlert(Handle, code, message));

    void IMetadataPhaseHost.MetadataFetched(byte[] infoBytes) => _ = OnMetadataCompleteAsync(infoBytes);

    void IMetadataPhaseHost.Fail(ErrorCode code, string message) => Fail(code, message);

    private void InitializeExtensions()
    {
        _metadata = new MetadataPhase(this, Torrent, InfoHashes, _session.Time, _session.Services.Background);
        _extensions = new ExtensionProtocol(this, _metadata, _pexPeers!, _session.Time);
    }

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
        WebSeeds.Merge(torrent.WebSeeds);
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
                    _protocol.Handle(peer, message);
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
        _data.Checking = _data.InitializeAsync();
    }
}
