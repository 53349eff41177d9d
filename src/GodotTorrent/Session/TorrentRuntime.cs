using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Session;

/// <summary>
/// One torrent's engine state: storage, picker, choker, peers and counters. Touched only on the
/// session's engine loop (see DESIGN.md's threading model), so it holds no locks.
/// </summary>
internal sealed partial class TorrentRuntime
{
    private static readonly TimeSpan ChokeInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(90);

    private readonly TorrentSession _session;
    private readonly ILogger _logger;
    private readonly Dictionary<int, PeerConnection> _peers = [];
    private readonly Dictionary<IPEndPoint, PeerCandidate> _candidates = [];
    private readonly HashSet<string> _banned = new(StringComparer.Ordinal);
    private readonly Dictionary<int, HashSet<PeerConnection>> _contributors = [];
    private readonly List<(Func<TorrentStatus, bool> Predicate, TaskCompletionSource<TorrentStatus> Completion)> _waiters = [];
    private readonly RateMeter _download = new();
    private readonly RateMeter _upload = new();
    private readonly TokenBucket _uploadBucket;
    private readonly TokenBucket _downloadBucket;
    private readonly RateLimiter _uploadLimiter;
    private readonly RateLimiter _downloadLimiter;
    private readonly Choker _choker;
    private readonly AddTorrentParams _params;
    private IPieceStorage? _storage;
    private PieceWriter? _writer;
    private PiecePicker? _picker;
    private PieceLayout? _layout;
    private Bitfield _have = new(0);
    private Priority[] _filePriorities = [];
    private long[] _fileDone = [];
    private int[] _filePiecesDone = [];
    private TorrentState _state;
    private bool _paused;
    private bool _stopped;
    private bool _fenced;
    private ErrorCode _error;
    private string? _errorMessage;
    private DateTimeOffset _lastChoke;
    private DateTimeOffset? _completedTime;
    private long _failedBytes;
    private long _redundantBytes;
    private bool _refillScheduled;
    private Task? _checking;
    private volatile TorrentStatus _latestStatus;

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
        _paused = parameters.Paused;
        _uploadBucket = new TokenBucket(session.Time, parameters.UploadRateLimit);
        _downloadBucket = new TokenBucket(session.Time, parameters.DownloadRateLimit);
        _uploadLimiter = new RateLimiter(session.Time, _uploadBucket, session.GlobalUpload);
        _downloadLimiter = new RateLimiter(session.Time, _downloadBucket, session.GlobalDownload);
        _choker = new Choker(ChokerOptions());
        _state = Torrent is null ? TorrentState.DownloadingMetadata : TorrentState.QueuedForChecking;
        _latestStatus = BuildStatus();
        InitializeExtensions();
        InitializeTrackers();
        foreach (var peer in parameters.Peers.Concat(parameters.Magnet?.Peers ?? []))
        {
            AddPeer(peer, "manual", connectNow: false);
        }
    }

    public TorrentHandle Handle { get; }

    public TorrentInfo? Torrent { get; private set; }

    public InfoHashes InfoHashes { get; }

    public string Name { get; private set; }

    public string SavePath { get; private set; }

    public DateTimeOffset AddedTime { get; }

    public bool IsRemoved { get; private set; }

    public EngineLoop Loop => _session.Loop;

    public TorrentStatus LatestStatus => _latestStatus;

    /// <summary>True while incoming connections for this torrent are welcome (read off the loop; a stale answer only costs a handshake).</summary>
    public bool AcceptsPeers => !Halted && !_stopped;

    private SessionSettings Settings => _session.Settings;

    private DateTimeOffset Now => _session.Time.GetUtcNow();

    private bool IsSeeding => _have.Count > 0 && _have.AllSet;

    /// <summary>The 20 bytes we put in handshakes: the v1 hash, or the truncated v2 hash for a v2-only torrent.</summary>
    private Id20 WireHash => InfoHashes.V1 is { } v1 ? new Id20(v1.Span) : new Id20(InfoHashes.V2!.Truncated);

    public void Start()
    {
        if (Torrent is null)
        {
            // A magnet fetches its info dictionary from peers (BEP 9) before anything else.
            SetState(TorrentState.DownloadingMetadata);
            ConnectToCandidates(Now);
            AnnounceIfDue(Now);
            return;
        }

        _checking = InitializeAsync();
    }

    public void Tick()
    {
        if (_stopped)
        {
            return;
        }

        var now = Now;
        ActivityTick(now, TimeSpan.FromSeconds(1));
        _download.Tick();
        _upload.Tick();
        foreach (var peer in _peers.Count == 0 ? [] : _peers.Values.ToArray())
        {
            peer.Download.Tick();
            peer.Upload.Tick();
            peer.WireDownload.Tick();
            peer.WireUpload.Tick();
            ExpireRequests(peer, now);
            if (now - peer.LastReceived > Settings.PeerInactivityTimeout)
            {
                Disconnect(peer, ErrorCode.PeerInactive, "the peer sent nothing for too long");
                continue;
            }

            if (now - peer.LastSent > KeepAliveInterval)
            {
                peer.SendKeepAlive();
                peer.LastSent = now;
            }
        }

        if (now - _lastChoke >= ChokeInterval)
        {
            RunChoker(now);
        }

        ExtensionsTick();
        AnnounceIfDue(now);
        ConnectToCandidates(now);
        foreach (var peer in _peers.Values)
        {
            Refill(peer);
            ServeUploads(peer);
        }

        RefreshStatusIfChanged(now);
    }

    public void SettingsChanged()
    {
        _choker.Options = ChokerOptions();
    }

    public void Pause()
    {
        if (_paused)
        {
            // Paused by an error, now by the user too: clearing the error will not resume it.
            _pausedByError = false;
            return;
        }

        _paused = true;
        DisconnectAll(ErrorCode.ConnectionClosedLocally, "the torrent was paused");
        _ = StopTrackersAsync();
        _session.Alerts.Post(new TorrentPausedAlert(Handle));
        RefreshStatus();
    }

    public void Resume()
    {
        if (!_paused)
        {
            return;
        }

        _paused = false;
        if (_error != ErrorCode.None)
        {
            // Resuming clears an error: the data is checked again so nothing bad is trusted. The
            // failed writer is dropped first, so its late results (another block failing on the
            // full disk, say) cannot put the torrent back into the error it just left.
            _error = ErrorCode.None;
            _errorMessage = null;
            _pausedByError = false;
            var writer = _writer;
            _picker = null;
            _writer = null;
            _checking = Torrent is null ? null : CheckAfterErrorAsync(writer);
        }

        // The pause closed these connections, not the peers: dial them again now rather than after
        // the reconnect delay their disconnection set. Peers that failed to connect keep their back-off.
        foreach (var candidate in _candidates.Values)
        {
            if (candidate.Failures == 0)
            {
                candidate.NextAttempt = default;
            }
        }

        _session.Alerts.Post(new TorrentResumedAlert(Handle));
        ConnectToCandidates(Now);
        RefreshStatus();
    }

    public void SetRateLimits(long upload, long download)
    {
        if (upload < 0 || download < 0)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, "Rate limits are 0 (unlimited) or positive.");
        }

        _uploadBucket.BytesPerSecond = upload;
        _downloadBucket.BytesPerSecond = download;
    }

    public void SetSequential(bool sequential)
    {
        if (_picker is not null)
        {
            _picker.Sequential = sequential;
        }
    }

    public Task<TorrentStatus> WaitForAsync(Func<TorrentStatus, bool> predicate, CancellationToken cancellationToken)
    {
        var status = RefreshStatus();
        if (predicate(status))
        {
            return Task.FromResult(status);
        }

        var completion = new TaskCompletionSource<TorrentStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((predicate, completion));
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        }

        return completion.Task;
    }

    public async Task StopAsync(bool deleteFiles = false)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        IsRemoved = true;
        DisconnectAll(ErrorCode.ConnectionClosedLocally, "the session is stopping");
        _writer?.Close();
        await StopTrackersAsync().ConfigureAwait(true);
        Dispose();
        foreach (var (_, completion) in _waiters)
        {
            completion.TrySetException(new TorrentException(ErrorCode.InvalidHandle, "The torrent was removed."));
        }

        _waiters.Clear();
        if (_storage is null)
        {
            return;
        }

        try
        {
            if (_writer is not null)
            {
                await _writer.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(5), _session.Time).ConfigureAwait(true);
            }

            await _storage.FlushAsync().ConfigureAwait(true);
            if (deleteFiles)
            {
                await _storage.DeleteFilesAsync().ConfigureAwait(true);
            }
        }
        catch (Exception e) when (e is StorageException or TimeoutException)
        {
            _logger.LogWarning(e, "Stopping {Torrent} could not flush its data", Name);
        }
        finally
        {
            await _storage.DisposeAsync().ConfigureAwait(true);
        }
    }

    private ChokerOptions ChokerOptions() => new()
    {
        UploadSlots = Settings.UploadSlotsPerTorrent,
        SeedMode = Settings.SeedChokingAlgorithm == SeedChokingAlgorithm.RoundRobin ? SeedChokingMode.RoundRobin : SeedChokingMode.FastestUpload,
    };

    private void SetState(TorrentState state)
    {
        if (_state == state)
        {
            return;
        }

        var previous = _state;
        _state = state;
        _session.Alerts.Post(new StateChangedAlert(Handle, previous, state));
        RefreshStatus();
    }

    private void Fail(ErrorCode code, string message, StorageException? storageError = null)
    {
        if (_error != ErrorCode.None)
        {
            return;
        }

        _error = code;
        _errorMessage = message;
        if (storageError is not null)
        {
            _session.Alerts.Post(new FileErrorAlert(Handle, storageError.FileIndex, storageError.FilePath, code, storageError.Message));
        }

        _session.Alerts.Post(new TorrentErrorAlert(Handle, code, message));
        _pausedByError = !_paused;
        _paused = true;
        DisconnectAll(ErrorCode.ConnectionClosedLocally, "the torrent stopped on an error");
        RefreshStatus();
    }
}
