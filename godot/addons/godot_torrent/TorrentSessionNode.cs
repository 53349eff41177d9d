using Godot;
using GodotTorrent.Alerts;
using GodotTorrent.Integration;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Addon;

/// <summary>
/// A torrent session as a node: starts with the node (when <see cref="AutoStart"/>) and stops when
/// it leaves the tree; each frame it turns at most <see cref="MaxAlertsPerFrame"/> alerts into
/// signals and emits throttled <c>StatusUpdated</c> snapshots. Paths may be <c>user://</c>,
/// <c>res://</c> (editor only) or absolute. GDScript calls run in the background and report
/// through signals; C# code awaits the <c>...Async</c> methods. Everything beyond forwarding lives
/// in the library (<c>GodotTorrent.Integration</c>), where it is tested.
/// </summary>
[GlobalClass]
public partial class TorrentSessionNode : Node
{
    private readonly System.Collections.Generic.Dictionary<string, TorrentHandle> _torrents = [];
    private readonly GodotPathResolver _paths = new(path => ProjectSettings.GlobalizePath(path));
    private TorrentSession? _session;
    private AlertPump? _pump;
    private StatusThrottle? _throttle;
    private Task _started = Task.CompletedTask;

    /// <summary>(info_hash, name)</summary>
    [Signal] public delegate void TorrentAddedEventHandler(string infoHash, string name);

    /// <summary>(info_hash, name)</summary>
    [Signal] public delegate void TorrentRemovedEventHandler(string infoHash, string name);

    /// <summary>(info_hash)</summary>
    [Signal] public delegate void TorrentPausedEventHandler(string infoHash);

    /// <summary>(info_hash)</summary>
    [Signal] public delegate void TorrentResumedEventHandler(string infoHash);

    /// <summary>(info_hash, name): a magnet link's metadata arrived.</summary>
    [Signal] public delegate void MetadataReceivedEventHandler(string infoHash, string name);

    /// <summary>(info_hash, state, previous_state), as <c>downloading</c>, <c>seeding</c>, ...</summary>
    [Signal] public delegate void StateChangedEventHandler(string infoHash, string state, string previousState);

    /// <summary>(info_hash, name)</summary>
    [Signal] public delegate void TorrentFinishedEventHandler(string infoHash, string name);

    /// <summary>(info_hash, error_code, message)</summary>
    [Signal] public delegate void TorrentErrorEventHandler(string infoHash, long errorCode, string message);

    /// <summary>(info_hash, url, error_code, message)</summary>
    [Signal] public delegate void TrackerErrorEventHandler(string infoHash, string url, long errorCode, string message);

    /// <summary>(info_hash, address, client)</summary>
    [Signal] public delegate void PeerConnectedEventHandler(string infoHash, string address, string client);

    /// <summary>(info_hash, address, error_code, reason)</summary>
    [Signal] public delegate void PeerDisconnectedEventHandler(string infoHash, string address, long errorCode, string reason);

    /// <summary>(info_hash, address, error_code, message)</summary>
    [Signal] public delegate void PeerErrorEventHandler(string infoHash, string address, long errorCode, string message);

    /// <summary>(info_hash, address, reason)</summary>
    [Signal] public delegate void PeerBannedEventHandler(string infoHash, string address, string reason);

    /// <summary>(info_hash, file_index, path)</summary>
    [Signal] public delegate void FileCompletedEventHandler(string infoHash, long fileIndex, string path);

    /// <summary>(info_hash, file_index, path, error_code, message)</summary>
    [Signal] public delegate void FileErrorEventHandler(string infoHash, long fileIndex, string path, long errorCode, string message);

    /// <summary>(info_hash, piece_index): only with the PieceProgress alert category.</summary>
    [Signal] public delegate void PieceFinishedEventHandler(string infoHash, long pieceIndex);

    /// <summary>(info_hash, piece_index)</summary>
    [Signal] public delegate void HashFailedEventHandler(string infoHash, long pieceIndex);

    /// <summary>(address)</summary>
    [Signal] public delegate void ListenSucceededEventHandler(string address);

    /// <summary>(address, error_code, message)</summary>
    [Signal] public delegate void ListenFailedEventHandler(string address, long errorCode, string message);

    /// <summary>(count, by_type)</summary>
    [Signal] public delegate void AlertsDroppedEventHandler(long count, global::Godot.Collections.Dictionary byType);

    /// <summary>(info_hash, status): at most every <see cref="StatusInterval"/> seconds per torrent, when it changed.</summary>
    [Signal] public delegate void StatusUpdatedEventHandler(string infoHash, global::Godot.Collections.Dictionary status);

    /// <summary>(operation, error_code, message): a background call from GDScript failed.</summary>
    [Signal] public delegate void OperationFailedEventHandler(string operation, long errorCode, string message);

    /// <summary>Emitted once the session listens (after <see cref="StartSession"/>).</summary>
    [Signal] public delegate void SessionStartedEventHandler();

    /// <summary>Emitted once the session stopped.</summary>
    [Signal] public delegate void SessionStoppedEventHandler();

    /// <summary>A magnet's metadata was invalid.</summary>
    [Signal] public delegate void MetadataFailedEventHandler(string infoHash, long errorCode, string message);

    /// <summary>A tracker answered with peers.</summary>
    [Signal] public delegate void TrackerReplyEventHandler(string infoHash, string url, long peerCount);

    /// <summary>A tracker sent a warning.</summary>
    [Signal] public delegate void TrackerWarningEventHandler(string infoHash, string url, string message);

    /// <summary>A file was renamed.</summary>
    [Signal] public delegate void FileRenamedEventHandler(string infoHash, long fileIndex, string newPath);

    /// <summary>A torrent's files were moved.</summary>
    [Signal] public delegate void StorageMovedEventHandler(string infoHash, string newSavePath);

    /// <summary>Any other alert (tracker announces, resume data, statistics, ...).</summary>
    [Signal] public delegate void AlertEventHandler(string typeName, string infoHash, string message, long errorCode);

    /// <summary>First port to listen on (0 = any free port).</summary>
    [Export(PropertyHint.Range, "0,65535")] public int ListenPort { get; set; } = 6881;

    /// <summary>How many ports from <see cref="ListenPort"/> on to try.</summary>
    [Export(PropertyHint.Range, "1,1000")] public int ListenPortRange { get; set; } = 9;

    /// <summary>Most peer connections in all.</summary>
    [Export] public int MaxConnections { get; set; } = 200;

    /// <summary>Upload limit in bytes per second (0 = unlimited).</summary>
    [Export] public long UploadRateLimit { get; set; }

    /// <summary>Download limit in bytes per second (0 = unlimited).</summary>
    [Export] public long DownloadRateLimit { get; set; }

    /// <summary>DHT on or off (off by default).</summary>
    [Export] public bool EnableDht { get; set; }

    /// <summary>DHT bootstrap nodes as <c>host:port</c>; none unless set.</summary>
    [Export] public string[] DhtBootstrapNodes { get; set; } = [];

    /// <summary>Where torrents are saved when no save path is given.</summary>
    [Export] public string DownloadFolder { get; set; } = "user://downloads";

    /// <summary>Start the session when the node enters the tree.</summary>
    [Export] public bool AutoStart { get; set; } = true;

    /// <summary>Most alerts turned into signals per frame (the rest wait for the next frames).</summary>
    [Export(PropertyHint.Range, "1,10000")] public int MaxAlertsPerFrame { get; set; } = 64;

    /// <summary>Seconds between two <c>StatusUpdated</c> signals of one torrent.</summary>
    [Export(PropertyHint.Range, "0,60,0.05")] public double StatusInterval { get; set; } = 0.5;

    /// <summary>The running session (C#), or null when stopped.</summary>
    public TorrentSession? Session => _session;

    /// <summary>True while the session runs.</summary>
    public bool IsRunning => _session?.IsRunning ?? false;

    /// <inheritdoc/>
    public override void _Ready()
    {
        // GDScript code written for the original extension connects to snake_case names
        // ("torrent_added"); C# signals are PascalCase. Both are emitted.
        foreach (var name in AlertSignalMap.CreateDefault().Names.Append(SignalNames.StatusUpdated).Append(SignalNames.OperationFailed))
        {
            if (!HasSignal(name))
            {
                AddUserSignal(name);
            }
        }

        if (AutoStart && !Godot.Engine.IsEditorHint())
        {
            StartSession();
        }
    }

    /// <inheritdoc/>
    public override void _ExitTree() => StopSession();

    /// <inheritdoc/>
    public override void _Process(double delta)
    {
        if (_pump is null || _throttle is null)
        {
            return;
        }

        _pump.Pump(MaxAlertsPerFrame, Emit, Track);
        foreach (var handle in _torrents.Values)
        {
            _throttle.Offer(handle.Status);
        }

        foreach (var status in _throttle.TakeDue())
        {
            var key = VariantSnapshots.Key(status.InfoHashes);
            var snapshot = VariantConvert.ToDictionary(VariantSnapshots.Status(status));
            EmitSignal(SignalName.StatusUpdated, key, snapshot);
            EmitSignal(SignalNames.StatusUpdated, key, snapshot);
        }
    }

    // ---- GDScript-facing: return at once, report through signals ----

    /// <summary>Starts the session with the exported settings.</summary>
    public void StartSession() => StartSessionWithSettings([]);

    /// <summary>
    /// Starts the session with the exported settings overridden by <paramref name="settings"/>
    /// (snake_case keys such as <c>listen_port</c>, <c>enable_dht</c>; unknown keys are an error).
    /// </summary>
    public void StartSessionWithSettings(global::Godot.Collections.Dictionary settings) =>
        RunInBackground("start_session", () => StartAsync(BuildSettings(VariantConvert.ToPlain(settings))));

    /// <summary>Stops the session (also done when the node leaves the tree).</summary>
    public void StopSession() => RunInBackground("stop_session", StopAsync);

    /// <summary>Adds a .torrent file (<c>res://</c>, <c>user://</c> or absolute); empty save path = <see cref="DownloadFolder"/>.</summary>
    public void AddTorrentFile(string torrentPath, string savePath = "") =>
        RunInBackground("add_torrent_file", () => AddTorrentFileAsync(torrentPath, savePath));

    /// <summary>Adds a torrent from a .torrent file's bytes.</summary>
    public void AddTorrentBytes(byte[] torrent, string savePath = "") =>
        RunInBackground("add_torrent_bytes", () => AddTorrentAsync(new AddTorrentParams { Torrent = TorrentInfo.Parse(torrent), SavePath = ResolveSavePath(savePath) }));

    /// <summary>Adds a magnet link.</summary>
    public void AddMagnetUri(string magnetUri, string savePath = "") =>
        RunInBackground("add_magnet_uri", () => AddMagnetUriAsync(magnetUri, savePath));

    /// <summary>Seeds (or resumes) <paramref name="torrentPath"/> from data already in <paramref name="savePath"/>.</summary>
    public void SeedTorrentFile(string torrentPath, string savePath) => AddTorrentFile(torrentPath, savePath);

    /// <summary>Removes a torrent by info-hash, optionally deleting its files.</summary>
    public void RemoveTorrent(string infoHash, bool deleteFiles = false) =>
        RunInBackground("remove_torrent", () => RemoveTorrentAsync(infoHash, deleteFiles));

    /// <summary>Dials a peer (<c>ip:port</c>) for a torrent, as private swarms and LAN games do.</summary>
    public void ConnectPeer(string infoHash, string address) =>
        RunInBackground("connect_peer", () => Find(infoHash).ConnectPeerAsync(System.Net.IPEndPoint.Parse(address)));

    /// <summary>The torrent with this info-hash, or null.</summary>
    public GdTorrentHandle? GetTorrent(string infoHash) =>
        _torrents.TryGetValue(infoHash.ToLowerInvariant(), out var handle) ? new GdTorrentHandle(handle, this) : null;

    /// <summary>Every torrent in the session.</summary>
    public global::Godot.Collections.Array<GdTorrentHandle> GetTorrents()
    {
        var result = new global::Godot.Collections.Array<GdTorrentHandle>();
        foreach (var handle in _torrents.Values)
        {
            result.Add(new GdTorrentHandle(handle, this));
        }

        return result;
    }

    /// <summary>Reads a .torrent file's metadata without adding it (null and an error printed when it is not one).</summary>
    public GdTorrentInfo? LoadTorrentInfo(string torrentPath)
    {
        try
        {
            return new GdTorrentInfo(TorrentInfo.Load(_paths.Resolve(torrentPath)));
        }
        catch (TorrentException e)
        {
            GD.PushError($"Godot-Torrent: {e.Message}");
            return null;
        }
    }

    /// <summary>The absolute path for a <c>user://</c>, <c>res://</c> or absolute path (empty and an error printed when unusable).</summary>
    public string ResolvePath(string path)
    {
        if (_paths.TryResolve(path, out var resolved, out var error))
        {
            return resolved;
        }

        GD.PushError($"Godot-Torrent: {error}");
        return string.Empty;
    }

    // ---- C#-facing: awaitable ----

    /// <summary>
    /// Starts the session with <paramref name="settings"/> (default: the exported settings). When it
    /// is already starting or running (<see cref="AutoStart"/>), completes when that start does.
    /// </summary>
    public Task StartAsync(SessionSettings? settings = null)
    {
        if (_session is not null)
        {
            return _started;
        }

        var session = new TorrentSession(settings ?? BuildSettings([]), new TorrentSessionOptions { SynchronizationContext = SynchronizationContext.Current });
        _session = session;
        _pump = new AlertPump(session.Alerts);
        _throttle = new StatusThrottle(TimeSpan.FromSeconds(StatusInterval));
        _started = StartSessionAsync(session);
        return _started;
    }

    /// <summary>Stops the session; torrents are forgotten (add them again, with resume data, after a restart).</summary>
    public async Task StopAsync()
    {
        var session = _session;
        if (session is null)
        {
            return;
        }

        _session = null;
        _pump = null;
        _throttle = null;
        _torrents.Clear();
        await session.DisposeAsync().ConfigureAwait(true);
        if (IsInsideTree())
        {
            EmitSignal(SignalName.SessionStopped);
        }
    }

    /// <summary>Adds a torrent (waiting for the session to finish starting first).</summary>
    public async Task<TorrentHandle> AddTorrentAsync(AddTorrentParams parameters)
    {
        var session = RequireSession();
        await _started.ConfigureAwait(true);
        var handle = await session.AddTorrentAsync(parameters).ConfigureAwait(true);
        _torrents[VariantSnapshots.Key(handle.InfoHashes)] = handle;
        return handle;
    }

    /// <summary>Adds a .torrent file; Godot paths are resolved.</summary>
    public async Task<TorrentHandle> AddTorrentFileAsync(string torrentPath, string savePath = "")
    {
        var torrent = await TorrentInfo.LoadAsync(_paths.Resolve(torrentPath)).ConfigureAwait(true);
        return await AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = ResolveSavePath(savePath) }).ConfigureAwait(true);
    }

    /// <summary>Adds a magnet link; Godot paths are resolved.</summary>
    public Task<TorrentHandle> AddMagnetUriAsync(string magnetUri, string savePath = "") =>
        AddTorrentAsync(AddTorrentParams.FromMagnet(magnetUri, ResolveSavePath(savePath)));

    /// <summary>Removes a torrent by info-hash.</summary>
    public async Task RemoveTorrentAsync(string infoHash, bool deleteFiles = false)
    {
        var handle = Find(infoHash);
        await RequireSession().RemoveTorrentAsync(handle, deleteFiles ? RemoveOptions.DeleteFiles : RemoveOptions.None).ConfigureAwait(true);
        _torrents.Remove(VariantSnapshots.Key(handle.InfoHashes));
        _throttle?.Forget(VariantSnapshots.Key(handle.InfoHashes));
    }

    /// <summary>The settings the exported properties describe, with <paramref name="overrides"/> applied.</summary>
    public SessionSettings BuildSettings(IEnumerable<KeyValuePair<string, object?>> overrides)
    {
        var values = new System.Collections.Generic.Dictionary<string, object?>
        {
            ["listen_port"] = (long)ListenPort,
            ["listen_port_range"] = (long)ListenPortRange,
            ["max_connections"] = (long)MaxConnections,
            ["upload_rate_limit"] = UploadRateLimit,
            ["download_rate_limit"] = DownloadRateLimit,
            ["enable_dht"] = EnableDht,
            ["dht_bootstrap_nodes"] = DhtBootstrapNodes,
        };
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        return SettingsBuilder.Build(values);
    }

    private async Task StartSessionAsync(TorrentSession session)
    {
        await session.StartAsync().ConfigureAwait(true);
        EmitSignal(SignalName.SessionStarted);
    }

    internal void RunInBackground(string operation, Func<Task> work) => _ = RunAsync(operation, work);

    private async Task RunAsync(string operation, Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(true);
        }
        catch (TorrentException e)
        {
            Fail(operation, (long)e.ErrorCode, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException or InvalidOperationException)
        {
            Fail(operation, (long)ErrorCode.InvalidArgument, e.Message);
        }
    }

    private void Fail(string operation, long errorCode, string message)
    {
        if (IsInsideTree())
        {
            EmitSignal(SignalName.OperationFailed, operation, errorCode, message);
            EmitSignal(SignalNames.OperationFailed, operation, errorCode, message);
        }
        else
        {
            GD.PushError($"Godot-Torrent: {operation} failed: {message}");
        }
    }

    private void Emit(AlertSignal signal)
    {
        var args = VariantConvert.Args(signal.Args);
        EmitSignal(signal.GodotName, args);
        EmitSignal(signal.Name, args);
    }

    private void Track(Alert alert)
    {
        if (alert is TorrentRemovedAlert removed)
        {
            _torrents.Remove(VariantSnapshots.Key(removed.InfoHashes));
            _throttle?.Forget(VariantSnapshots.Key(removed.InfoHashes));
        }
        else if (alert is TorrentAlert { Handle.IsValid: true } torrentAlert)
        {
            _torrents.TryAdd(VariantSnapshots.Key(torrentAlert.InfoHashes), torrentAlert.Handle);
        }
    }

    internal string ResolveSavePath(string savePath) => _paths.Resolve(string.IsNullOrEmpty(savePath) ? DownloadFolder : savePath);

    private TorrentSession RequireSession() =>
        _session ?? throw new TorrentException(ErrorCode.InvalidArgument, "The torrent session is not running: call StartSession first.");

    private TorrentHandle Find(string infoHash) =>
        _torrents.TryGetValue(infoHash.ToLowerInvariant(), out var handle) ? handle
        : throw new TorrentException(ErrorCode.InvalidHandle, $"No torrent with info-hash {infoHash} in this session.");
}
