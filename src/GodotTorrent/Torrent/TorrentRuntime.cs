using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Discovery;
using GodotTorrent.Metainfo;
using GodotTorrent.Peers;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Session;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;
using GodotTorrent.WebSeeds;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Torrent;

/// <summary>
/// One torrent's engine state: storage, picker, choker, peers and counters. Touched only on the
/// session's engine loop (see DESIGN.md's threading model), so it holds no locks.
/// </summary>
internal sealed partial class TorrentRuntime : ITorrentStatusSource
{
    private static readonly TimeSpan ChokeInterval = TimeSpan.FromSeconds(10);

    private readonly TorrentSession _session;
    private readonly ILogger _logger;
    private readonly Dictionary<int, PeerConnection> _peers = [];
    private readonly Dictionary<int, WebSeedPeer> _webSeedPeers = [];
    private readonly PeerList _peerList = new();
    private readonly RateMeter _download = new();
    private readonly RateMeter _upload = new();
    private readonly TorrentRateLimits _limits;
    private readonly Choker _choker;
    private readonly TorrentSwarm _swarm;
    private readonly TorrentHashes _hashes;
    private readonly PeerMessageHandler _protocol;
    private readonly UploadServer _uploads;
    private readonly AddTorrentParams _params;
    private readonly TorrentLifecycle _lifecycle;
    private readonly TorrentData _data;
    private readonly TorrentStatusPublisher _status;
    private readonly TorrentQueueing _queueing;
    private readonly TorrentActivity _activity = new();
    private readonly SeedGoals _seedGoals;
    private readonly TrackerAnnouncer _announcer;
    private readonly TorrentConnections _connections;
    private readonly PeerSourceSet _peerSources = new();
    private readonly WebSeedSet _webSeedSet;
    private DateTimeOffset _lastChoke;
    private (int Pieces, long Down, long Up, bool Paused, Priority[] Priorities, (int?, TimeSpan?, bool, TimeSpan) Goals)? _lastResumeSave;
    private PerformanceWarnings? _performanceWarnings;
    private WebSeedList? _webSeeds;
    private PexPeerSource? _pexPeers;
    private MetadataPhase? _metadata;
    private ExtensionProtocol? _extensions;

    public TorrentRuntime(TorrentSession session, AddTorrentParams parameters)
    {
        _session = session;
        _params = parameters;
        _logger = session.LoggerFactory.CreateLogger<TorrentRuntime>();
        Torrent = parameters.Torrent ?? parameters.ResumeData?.Torrent;
        InfoHashes = Torrent?.InfoHashes ?? parameters.Magnet!.InfoHashes;
        Name = Torrent?.Name ?? parameters.Magnet!.DisplayName ?? InfoHashes.Primary.ToHex();
        SavePath = Path.GetFullPath(parameters.SavePath);
        Handle = new TorrentHandle(this);
        AddedTime = session.Time.GetUtcNow();
        _seedGoals = new SeedGoals(parameters);
        _lifecycle = new TorrentLifecycle(parameters.Paused, Torrent is null ? TorrentState.DownloadingMetadata : TorrentState.QueuedForChecking);
        _data = new TorrentData(this, parameters, session.Services, session.Disk, session.Alerts, session.Counters, _logger);
        _limits = new TorrentRateLimits(session.Time, parameters.UploadRateLimit, parameters.DownloadRateLimit, session.GlobalUpload, session.GlobalDownload);
        _choker = new Choker(ChokerOptions(), session.Services.CreateRandom());
        _peerList.AllowMultiplePerAddress = session.Settings.AllowMultipleConnectionsPerIp;
        _swarm = new TorrentSwarm(this, _data, _peers, _webSeedPeers, _limits.Download, _download, session.Time);
        _hashes = new TorrentHashes(() => Torrent, _swarm, _peers, this, _data.VerifyFileOnDiskAsync, session.Services.Background, _logger);
        _webSeedSet = new WebSeedSet(session, this, _webSeedPeers, _logger);
        _protocol = new PeerMessageHandler(this);
        _uploads = new UploadServer(this);
        _connections = new TorrentConnections(session, this, _peers, _peerList, _choker, parameters.MaxConnections, _logger);
        _announcer = new TrackerAnnouncer(session, this, InfoHashes, _connections, _logger);
        _queueing = new TorrentQueueing(session, _lifecycle, _activity, _connections, _announcer, _peerList, _download, _upload, parameters.AutoManaged, () => RefreshStatus());
        _status = new TorrentStatusPublisher(
            () => new(this, _lifecycle, _activity, _download, _upload, _peers.Values, _peerList, session.Time), _peers, _peerList, session.Time);
        _status.Initialize();
        InitializePeerSources();
        InitializeExtensions();
        InitializeTrackers();
        foreach (var peer in parameters.Peers.Concat(parameters.Magnet?.Peers ?? []))
        {
            AddPeer(peer, PeerSource.Manual, connectNow: false);
        }
    }

    public TorrentHandle Handle { get; }

    /// <summary>The torrent's known peers (tests look at what peer exchange taught). Engine loop only.</summary>
    internal PeerList PeerList => _peerList;

    /// <summary>The torrent's BEP 52 hash messages (tests look at what was served and checked). Engine loop only.</summary>
    internal TorrentHashes Hashes => _hashes;

    public TorrentInfo? Torrent { get; private set; }

    public InfoHashes InfoHashes { get; }

    public string Name { get; private set; }

    public string SavePath { get; private set; }

    public DateTimeOffset AddedTime { get; }

    public bool IsRemoved { get; private set; }

    public Engine.EngineLoop Loop => _session.Loop;

    public TorrentStatus LatestStatus => _status.Latest;

    /// <summary>True while incoming connections for this torrent are welcome (read off the loop; a stale answer only costs a handshake).</summary>
    public bool AcceptsPeers => Phase.AllowsAcceptingPeers();

    /// <summary>The torrent's phase; what it allows is in <see cref="TorrentPhaseRules"/>.</summary>
    private TorrentPhase Phase => _lifecycle.Phase(Torrent is not null, _swarm.Picker is not null);

    private bool MayDial => Phase.AllowsDialling();

    private bool MayAnnounce => Phase.AllowsAnnouncing();

    private SessionSettings Settings => _session.Settings;

    private DateTimeOffset Now => _session.Time.GetUtcNow();

    private bool IsSeeding => _data.Have.Count > 0 && _data.Have.AllSet;

    /// <summary>The 20 bytes we put in handshakes: the v1 hash, or the truncated v2 hash for a v2-only torrent.</summary>
    private Id20 WireHash => InfoHashes.V1 is { } v1 ? new Id20(v1.Span) : new Id20(InfoHashes.V2!.Truncated);

    public void Start()
    {
        if (Torrent is null)
        {
            // A magnet fetches its info dictionary from peers (BEP 9) before anything else.
            SetState(TorrentState.DownloadingMetadata);
            _connections.ConnectToCandidates(Now);
            _announcer.AnnounceIfDue(Now);
            return;
        }

        _data.Checking = _data.InitializeAsync();
    }

    public void Tick()
    {
        if (_lifecycle.IsStopped)
        {
            return;
        }

        var now = Now;
        _activity.Tick(now, TimeSpan.FromSeconds(1), Phase.IsRunning(), IsSeeding, _download.Total, _upload.Total);
        _download.Tick();
        _upload.Tick();
        foreach (var peer in _peers.Count == 0 ? [] : _peers.Values.ToArray())
        {
            _protocol.Tick(peer, now, Settings.RequestTimeout, Settings.PeerInactivityTimeout);
        }

        _connections.Tick(now);

        if (now - _lastChoke >= ChokeInterval)
        {
            _lastChoke = now;
            _connections.RunChoker(now);
        }

        _extensions!.Tick();
        _hashes.Tick(now);
        _announcer.AnnounceIfDue(now);
        _connections.ConnectToCandidates(now);
        foreach (var peer in _peers.Values)
        {
            _swarm.Refill(peer);
            _uploads.Serve(peer);
        }

        _webSeedSet.Update();
        _webSeedSet.Tick(now);
        _swarm.Streams.Tick(now);

        _status.RefreshIfChanged(now);
        CheckSeedGoals();
    }

    public void SettingsChanged()
    {
        _choker.Options = ChokerOptions();
        _peerList.AllowMultiplePerAddress = Settings.AllowMultipleConnectionsPerIp;
    }

    public void Pause()
    {
        if (!_lifecycle.Pause())
        {
            return;
        }

        _connections.DisconnectAll(ErrorCode.ConnectionClosedLocally, "the torrent was paused");
        _webSeedSet.StopAll();
        _ = _announcer.StopAsync();
        _session.Alerts.Post(new TorrentPausedAlert(Handle));
        RefreshStatus();
    }

    public void Resume()
    {
        if (!_lifecycle.Resume(out bool hadError))
        {
            return;
        }

        if (hadError)
        {
            // Resuming clears an error: the data is checked again so nothing bad is trusted. The
            // failed writer is dropped first, so its late results (another block failing on the
            // full disk, say) cannot put the torrent back into the error it just left.
            var writer = _data.Writer;
            _swarm.Picker = null;
            _data.Writer = null;
            _data.Checking = Torrent is null ? null : _data.CheckAfterErrorAsync(writer);
        }

        // The pause closed these connections, not the peers: dial them again now rather than after
        // the reconnect delay their disconnection set. Peers that failed to connect keep their back-off.
        _peerList.ResetReconnectDelays();
        _session.Alerts.Post(new TorrentResumedAlert(Handle));
        _connections.ConnectToCandidates(Now);
        RefreshStatus();
    }

    public void SetRateLimits(long upload, long download) => _limits.Set(upload, download);

    public void SetSequential(bool sequential)
    {
        if (_swarm.Picker is not null)
        {
            _swarm.Picker.Sequential = sequential;
        }
    }

    public Task<TorrentStatus> WaitForAsync(Func<TorrentStatus, bool> predicate, CancellationToken cancellationToken) =>
        _status.WaitForAsync(predicate, cancellationToken);

    public async Task StopAsync(bool deleteFiles = false)
    {
        if (!_lifecycle.Stop())
        {
            return;
        }

        IsRemoved = true;
        _connections.DisconnectAll(ErrorCode.ConnectionClosedLocally, "the session is stopping");
        _webSeedSet.StopAll();
        _data.Writer?.Close();
        _data.CancelReuse();
        _peerSources.StopAll();
        await _announcer.StopAsync().ConfigureAwait(true);
        Dispose();
        _status.FailAll(new TorrentException(ErrorCode.InvalidHandle, "The torrent was removed."));
        _swarm.Streams.FailAll(new TorrentException(ErrorCode.InvalidHandle, "The torrent was removed."));
        await _data.CloseAsync(deleteFiles, _session.Time).ConfigureAwait(true);
    }

    private ChokerOptions ChokerOptions() => new()
    {
        UploadSlots = Settings.UploadSlotsPerTorrent,
        SeedMode = Settings.SeedChokingAlgorithm == SeedChokingAlgorithm.RoundRobin ? SeedChokingMode.RoundRobin : SeedChokingMode.FastestUpload,
    };

    private void SetState(TorrentState state)
    {
        if (!_lifecycle.SetState(state, out var previous))
        {
            return;
        }

        _session.Alerts.Post(new StateChangedAlert(Handle, previous, state));
        RefreshStatus();
    }

    private void Fail(ErrorCode code, string message, StorageException? storageError = null)
    {
        if (!_lifecycle.Fail(code, message))
        {
            return;
        }

        if (storageError is not null)
        {
            _session.Alerts.Post(new FileErrorAlert(Handle, storageError.FileIndex, storageError.FilePath, code, storageError.Message));
        }

        _session.Alerts.Post(new TorrentErrorAlert(Handle, code, message));
        _connections.DisconnectAll(ErrorCode.ConnectionClosedLocally, "the torrent stopped on an error");
        _webSeedSet.StopAll();
        RefreshStatus();
    }

    public TorrentSession Session => _session;

    /// <summary>True when the queue starts and stops this torrent.</summary>
    public bool AutoManaged => _queueing.AutoManaged;

    /// <summary>True while the queue holds the torrent back (waiting for a slot); not a pause by the app.</summary>
    public bool IsQueued => _lifecycle.IsQueued;

    public void SetAutoManaged(bool autoManaged) => _queueing.SetAutoManaged(autoManaged);

    public void QueuePause() => _queueing.QueuePause();

    public void QueueResume() => _queueing.QueueResume();

    public void ReleaseFromQueue() => _queueing.ReleaseFromQueue();

    public bool IsSlow(DateTimeOffset now, bool complete) => _queueing.IsSlow(now, complete);

    public void SampleRates(DateTimeOffset now) => _queueing.SampleRates(now);

    DateTimeOffset? ITorrentStatusSource.CompletedTime => _data.CompletedTime;

    ResumeData? ITorrentStatusSource.InitialResumeData => _params.ResumeData;

    int ITorrentStatusSource.QueuePosition => _session.QueuePositionOf(this);

    bool ITorrentStatusSource.UploadOnly => _swarm.UploadOnly;

    TorrentProgress ITorrentStatusSource.Progress => TorrentProgress.Of(Torrent, _data.FileDone, _data.FilePriorities);

    Bitfield ITorrentStatusSource.Pieces => _data.Have;

    Bitfield? ITorrentStatusSource.LastPieces => _status.LastPieces;

    int ITorrentStatusSource.PiecesInProgress => _data.Writer?.PartialPieceCount ?? 0;

    double ITorrentStatusSource.DistributedCopies => _swarm.DistributedCopies();

    public TorrentStatus RefreshStatus() => _status.Refresh();
}
