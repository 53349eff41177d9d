#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Godot;
using GodotTorrent.Alerts;
using GodotTorrent.Integration;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Addon;

/// <summary>
/// A torrent session as a node. Its settings come from <see cref="Settings"/> or, without one, from
/// the project settings under <c>godot_torrent/</c>, read when the session starts; it starts (and
/// listens) at the first torrent added or at <see cref="Start"/> (or when ready, with the
/// <c>start_on_ready</c> setting), and stops when the node leaves the tree. It keeps processing
/// while the game is paused. With <c>autosave</c> on, its torrents and their resume data are saved
/// under <c>user://</c> and restored at the next start without hashing them again. Each frame it
/// turns at most <c>max_alerts_per_frame</c> alerts into signals and emits throttled
/// <c>StatusUpdated</c> snapshots. Paths may be <c>user://</c>, <c>res://</c> (editor only) or
/// absolute. GDScript calls return at once and report through signals; C# code awaits the
/// <c>...Async</c> methods. Everything beyond forwarding lives in the library
/// (<c>GodotTorrent.Integration</c>), where it is tested.
/// </summary>
[GlobalClass]
public partial class TorrentSessionNode : Node
{
    private readonly Dictionary<string, TorrentHandle> _torrents = [];
    private readonly Dictionary<TorrentHandle, GdTorrentHandle> _wrappers = [];
    private readonly GodotPathResolver _paths = new(path => ProjectSettings.GlobalizePath(path));
    private readonly PeerSnapshotCache _peers = new();
    private readonly UpdateTracker _updates = new();
    private TorrentSession? _session;
    private SessionStateFile? _stateFile;
    private AlertPump? _pump;
    private StatusThrottle? _throttle;
    private Task? _started;
    private TorrentSettings? _settings;
    private double _sinceSave;
    private bool _saving;

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

    /// <summary>(info_hash, new_info_hash, sequence): a followed channel (BEP 46) published a new version; <see cref="DownloadUpdate"/> fetches it.</summary>
    [Signal] public delegate void UpdateAvailableEventHandler(string infoHash, string newInfoHash, long sequence);

    /// <summary>(info_hash, new_info_hash, save_path): the new version <see cref="DownloadUpdate"/> fetched is complete and verified.</summary>
    [Signal] public delegate void UpdateReadyEventHandler(string infoHash, string newInfoHash, string savePath);

    /// <summary>
    /// The settings this node starts with; null (the default) reads the project settings
    /// (<c>godot_torrent/...</c>) when the session starts. Changes apply at the next start.
    /// </summary>
    [Export]
    public TorrentSettings? Settings
    {
        get => _settings;
        set => _settings = value;
    }

    /// <summary>The running session (C#), or null when stopped or still starting.</summary>
    public TorrentSession? Session => _session;

    /// <summary>True while the session runs.</summary>
    public bool IsRunning => _session?.IsRunning ?? false;

    /// <inheritdoc/>
    public override void _Ready()
    {
        // Signals keep flowing while the game is paused (a download does not stop at the pause menu).
        ProcessMode = ProcessModeEnum.Always;

        // GDScript code written for the original extension connects to snake_case names
        // ("torrent_added"); C# signals are PascalCase. Both are emitted.
        foreach (var name in AlertSignalMap.CreateDefault().Names.Append(SignalNames.StatusUpdated).Append(SignalNames.OperationFailed))
        {
            if (!HasSignal(name))
            {
                AddUserSignal(name);
            }
        }

        if (Godot.Engine.IsEditorHint())
        {
            return;
        }

        if (EffectiveSettings().GetValue(AddonSettings.StartOnReady).AsBool())
        {
            Start();
        }
    }

    /// <inheritdoc/>
    public override void _EnterTree()
    {
        if (!Godot.Engine.IsEditorHint())
        {
            TorrentMonitors.Register(this);
        }
    }

    /// <inheritdoc/>
    public override void _ExitTree()
    {
        TorrentMonitors.Unregister(this);
        SaveBeforeExit();
        RunInBackground("stop_session", () => StopCoreAsync(save: false));
    }

    /// <inheritdoc/>
    public override void _Process(double delta)
    {
        TorrentMonitors.Tick();
        if (_pump is null || _throttle is null)
        {
            return;
        }

        _pump.Pump(Math.Max(1, (int)EffectiveSettings().GetValue(AddonSettings.MaxAlertsPerFrame).AsInt64()), Emit, Track);
        foreach (var handle in _torrents.Values)
        {
            _throttle.Offer(handle.Status);
        }

        foreach (var status in _throttle.TakeDue())
        {
            var key = VariantSnapshots.Key(status.InfoHashes);
            if (_torrents.TryGetValue(key, out var handle))
            {
                _ = _peers.RefreshAsync(key, handle);
            }

            var snapshot = VariantConvert.ToDictionary(VariantSnapshots.Status(status));
            EmitSignal(SignalName.StatusUpdated, key, snapshot);
            EmitSignal(SignalNames.StatusUpdated, key, snapshot);
        }

        AutosaveTick(delta);
    }

    // ---- GDScript-facing: return at once, report through signals ----

    /// <summary>Starts the session (and listens) if it is not running; torrents saved by autosave come back.</summary>
    public void Start() => RunInBackground("start_session", StartAsync);

    /// <summary>The same as <see cref="Start"/> (the original extension's name).</summary>
    public void StartSession() => Start();

    /// <summary>
    /// Starts the session with the node's settings overridden by <paramref name="settings"/>
    /// (keys such as <c>listen_port</c>, <c>enable_dht</c>; unknown keys are an error).
    /// </summary>
    public void StartSessionWithSettings(global::Godot.Collections.Dictionary settings)
    {
        var effective = EffectiveSettings().Copy();
        foreach (var (key, value) in settings)
        {
            if (!effective.SetValue(key.AsString(), value))
            {
                Fail("start_session", (long)ErrorCode.InvalidArgument, $"Unknown setting '{key}'.");
                return;
            }
        }

        _settings = effective;
        Start();
    }

    /// <summary>Stops the session (also done when the node leaves the tree), saving it first with autosave on.</summary>
    public void StopSession() => RunInBackground("stop_session", StopAsync);

    /// <summary>Adds a .torrent file (<c>res://</c>, <c>user://</c> or absolute); empty save path = the download folder. Null (and <c>OperationFailed</c>) when the file is not a torrent.</summary>
    public GdTorrentHandle? AddTorrentFile(string torrentPath, string savePath = "")
    {
        try
        {
            var torrent = TorrentInfo.Load(_paths.Resolve(torrentPath));
            return Pending("add_torrent_file", torrent.InfoHashes, torrent.Name, AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = ResolveSavePath(savePath) }));
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report("add_torrent_file", e);
            return null;
        }
    }

    /// <summary>Adds a torrent from a .torrent file's bytes; null (and <c>OperationFailed</c>) when they are not a torrent.</summary>
    public GdTorrentHandle? AddTorrentBytes(byte[] torrent, string savePath = "")
    {
        try
        {
            var info = TorrentInfo.Parse(torrent);
            return Pending("add_torrent_bytes", info.InfoHashes, info.Name, AddTorrentAsync(new AddTorrentParams { Torrent = info, SavePath = ResolveSavePath(savePath) }));
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report("add_torrent_bytes", e);
            return null;
        }
    }

    /// <summary>Adds a magnet link (a BEP 46 channel link too); null (and <c>OperationFailed</c>) when it is malformed.</summary>
    public GdTorrentHandle? AddMagnetUri(string magnetUri, string savePath = "")
    {
        try
        {
            var magnet = MagnetLink.Parse(magnetUri);
            return Pending("add_magnet_uri", magnet.HasInfoHashes ? magnet.InfoHashes : null, magnet.DisplayName ?? string.Empty, AddMagnetUriAsync(magnetUri, savePath));
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report("add_magnet_uri", e);
            return null;
        }
    }

    /// <summary>Seeds (or resumes) <paramref name="torrentPath"/> from data already in <paramref name="savePath"/>.</summary>
    public GdTorrentHandle? SeedTorrentFile(string torrentPath, string savePath) => AddTorrentFile(torrentPath, savePath);

    /// <summary>Removes a torrent by info-hash, optionally deleting its files.</summary>
    public void RemoveTorrent(string infoHash, bool deleteFiles = false) =>
        RunInBackground("remove_torrent", () => RemoveTorrentAsync(infoHash, deleteFiles));

    /// <summary>Dials a peer (<c>ip:port</c>) for a torrent, as private swarms and LAN games do.</summary>
    public void ConnectPeer(string infoHash, string address) =>
        RunInBackground("connect_peer", () => Find(infoHash).ConnectPeerAsync(System.Net.IPEndPoint.Parse(address)));

    /// <summary>The torrent with this info-hash, or null.</summary>
    public GdTorrentHandle? GetTorrent(string infoHash) =>
        _torrents.TryGetValue(infoHash.ToLowerInvariant(), out var handle) ? Wrap(handle) : null;

    /// <summary>Every torrent in the session.</summary>
    public global::Godot.Collections.Array<GdTorrentHandle> GetTorrents()
    {
        var result = new global::Godot.Collections.Array<GdTorrentHandle>();
        foreach (var handle in _torrents.Values)
        {
            result.Add(Wrap(handle));
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
        catch (Exception e) when (IsReportable(e))
        {
            // A missing or unreadable file is an IOException, not a TorrentException: still null and an error.
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
    /// Starts the session with the node's settings, restoring autosaved torrents. When it is
    /// already starting or running, completes when that start does.
    /// </summary>
    public Task StartAsync() => _started ??= StartOnceAsync();

    /// <summary>Stops the session, saving it first with autosave on; torrents are forgotten until the next start restores them.</summary>
    public Task StopAsync() => StopCoreAsync(save: true);

    private async Task StopCoreAsync(bool save)
    {
        var started = _started;
        _started = null;
        if (started is not null)
        {
            try
            {
                await started.ConfigureAwait(true);
            }
            catch (Exception e) when (IsReportable(e))
            {
                return; // It never started; its failure was reported.
            }
        }

        var session = _session;
        if (session is null)
        {
            return;
        }

        if (save)
        {
            await SaveAsync().ConfigureAwait(true);
        }

        _session = null;
        _pump = null;
        _throttle = null;
        _torrents.Clear();
        _wrappers.Clear();
        await session.DisposeAsync().ConfigureAwait(true);
        if (IsInsideTree())
        {
            EmitSignal(SignalName.SessionStopped);
        }
    }

    /// <summary>Adds a torrent, starting the session first if needed. A torrent already in the session (restored by autosave) is returned as it is.</summary>
    public async Task<TorrentHandle> AddTorrentAsync(AddTorrentParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await StartAsync().ConfigureAwait(true);
        var known = parameters.Torrent?.InfoHashes ?? (parameters.Magnet is { HasInfoHashes: true } magnet ? magnet.InfoHashes : null);
        if (known is not null && _torrents.TryGetValue(VariantSnapshots.Key(known), out var existing))
        {
            return existing;
        }

        var handle = await RequireSession().AddTorrentAsync(parameters).ConfigureAwait(true);
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
        Forget(handle);
    }

    /// <summary>The session settings the node's settings describe (validated).</summary>
    public SessionSettings BuildSettings() => AddonSettings.BuildSession(EffectiveSettings().ToValues());

    /// <summary>Saves the session state now (autosave does it on a timer and at stop); nothing without autosave or a session.</summary>
    public async Task SaveAsync()
    {
        if (_session is not { } session || _stateFile is null || _saving)
        {
            return;
        }

        _saving = true;
        try
        {
            await _stateFile.SaveAsync(session).ConfigureAwait(true);
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report("save_state", e);
        }
        finally
        {
            _saving = false;
            _sinceSave = 0;
        }
    }

    internal IReadOnlyList<PeerInfo> CachedPeers(string infoHash) => _peers.Get(infoHash);

    internal IEnumerable<TorrentStatus> Statuses() => _torrents.Values.Select(h => h.Status);

    internal void RunInBackground(string operation, Func<Task> work) => _ = RunAsync(operation, work);

    internal string ResolveSavePath(string savePath) => _paths.Resolve(string.IsNullOrEmpty(savePath) ? DownloadFolder : savePath);

    private TorrentSettings EffectiveSettings() => _settings ??= TorrentSettings.FromProjectSettings();

    // A failed start can be tried again (after fixing a setting); the yield makes sure _started is set before it is cleared.
    private async Task StartOnceAsync()
    {
        await Task.Yield();
        try
        {
            await StartSessionAsync().ConfigureAwait(true);
        }
        catch
        {
            _started = null;
            throw;
        }
    }

    private async Task StartSessionAsync()
    {
        var values = EffectiveSettings().ToValues();
        var settings = AddonSettings.BuildSession(values);
        var options = new TorrentSessionOptions { SynchronizationContext = SynchronizationContext.Current };
        var own = values.ToDictionary(v => v.Key, v => v.Value);
        TorrentSession session;
        if (own[AddonSettings.Autosave] is true)
        {
            // One state file per node name (the autoload's is "Torrents"), so sessions in one game never share one.
            _stateFile = new SessionStateFile(System.IO.Path.Combine(_paths.Resolve((string)own[AddonSettings.AutosaveFolder]!), Name.ToString()));
            session = await _stateFile.StartAsync(settings, options).ConfigureAwait(true);
            if (_stateFile.LoadError is { } error)
            {
                Fail("load_state", (long)error.ErrorCode, error.Message);
            }
        }
        else
        {
            _stateFile = null;
            session = new TorrentSession(settings, options);
            await session.StartAsync().ConfigureAwait(true);
        }

        _session = session;
        _pump = new AlertPump(session.Alerts);
        _throttle = new StatusThrottle(TimeSpan.FromSeconds(Math.Max(0.0, Convert.ToDouble(own[AddonSettings.StatusInterval], System.Globalization.CultureInfo.InvariantCulture))));
        foreach (var handle in await session.GetTorrentsAsync().ConfigureAwait(true))
        {
            _torrents[VariantSnapshots.Key(handle.InfoHashes)] = handle;
        }

        if (IsInsideTree())
        {
            EmitSignal(SignalName.SessionStarted);
        }
    }

    private void AutosaveTick(double delta)
    {
        if (_stateFile is null)
        {
            return;
        }

        _sinceSave += delta;
        var interval = EffectiveSettings().GetValue(AddonSettings.AutosaveInterval).AsDouble();
        if (_sinceSave >= Math.Max(1.0, interval) && !_saving)
        {
            _sinceSave = 0;
            RunInBackground("save_state", SaveAsync);
        }
    }

    // Leaving the tree is also how a game quits, and the process may end before an await resumes:
    // save now, bounded (the session's loop does the work on its own thread, so this cannot deadlock).
    private void SaveBeforeExit()
    {
        if (_session is { } session && _stateFile is { } file && !_saving)
        {
            try
            {
                file.SaveAsync(session).Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException e)
            {
                GD.PushError($"Godot-Torrent: saving the session state failed: {e.InnerException?.Message}");
            }
        }
    }

    private GdTorrentHandle Pending(string operation, InfoHashes? infoHashes, string name, Task<TorrentHandle> adding)
    {
        var pending = new GdTorrentHandle(this, infoHashes is null ? string.Empty : VariantSnapshots.Key(infoHashes), name, adding);
        RunInBackground(operation, async () =>
        {
            // Even a torrent already in the session binds after the caller returned, so a signal it connects to Added fires.
            await Task.Yield();
            var handle = await adding.ConfigureAwait(true);
            _wrappers.TryAdd(handle, pending);
            pending.Bind(handle);
        });
        return pending;
    }

    private GdTorrentHandle Wrap(TorrentHandle handle)
    {
        if (!_wrappers.TryGetValue(handle, out var wrapper))
        {
            wrapper = new GdTorrentHandle(handle, this);
            _wrappers[handle] = wrapper;
        }

        return wrapper;
    }

    private async Task RunAsync(string operation, Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(true);
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report(operation, e);
        }
    }

    private static bool IsReportable(Exception e) =>
        e is TorrentException or System.IO.IOException or UnauthorizedAccessException or FormatException or ArgumentException or InvalidOperationException or ObjectDisposedException;

    private void Report(string operation, Exception e) =>
        Fail(operation, e is TorrentException t ? (long)t.ErrorCode : (long)ErrorCode.InvalidArgument, e.Message);

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
        switch (alert)
        {
            case TorrentRemovedAlert removed:
                _torrents.Remove(VariantSnapshots.Key(removed.InfoHashes));
                Forget(removed.Handle);
                break;
            case TorrentUpdateAvailableAlert update:
                _updates.Offer(update);
                EmitSignal(SignalName.UpdateAvailable, VariantSnapshots.Key(update.InfoHashes), update.NewInfoHash, update.Sequence);
                break;
            case TorrentFinishedAlert finished when _updates.Finished(finished.Handle) is { } installed:
                EmitSignal(SignalName.UpdateReady, VariantSnapshots.Key(installed.InfoHashes), VariantSnapshots.Key(finished.InfoHashes), finished.Handle.Status.SavePath);
                break;
            case TorrentAlert { Handle.IsValid: true } torrentAlert:
                _torrents.TryAdd(VariantSnapshots.Key(torrentAlert.InfoHashes), torrentAlert.Handle);
                break;
        }
    }

    private void Forget(TorrentHandle handle)
    {
        var key = VariantSnapshots.Key(handle.InfoHashes);
        _torrents.Remove(key);
        _wrappers.Remove(handle);
        _throttle?.Forget(key);
        _peers.Forget(key);
        _updates.Forget(handle);
    }

    private TorrentSession RequireSession() =>
        _session ?? throw new TorrentException(ErrorCode.InvalidArgument, "The torrent session is not running: call Start first.");

    private TorrentHandle Find(string infoHash) =>
        _torrents.TryGetValue(infoHash.ToLowerInvariant(), out var handle) ? handle
        : throw new TorrentException(ErrorCode.InvalidHandle, $"No torrent with info-hash {infoHash} in this session.");
}
