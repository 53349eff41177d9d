using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using GodotTorrent.Alerts;
using GodotTorrent.Engine;
using GodotTorrent.Metainfo;
using GodotTorrent.Swarm;
using GodotTorrent.Net;
using GodotTorrent.Net.Handshake;
using GodotTorrent.Torrent;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GodotTorrent.Session;

/// <summary>
/// A BitTorrent session: one engine loop that owns every torrent, peer connection and listener.
/// Create it with settings, <see cref="StartAsync"/> it, add torrents, poll or subscribe to
/// <see cref="Alerts"/>, and dispose it (which stops it within a bounded time).
/// </summary>
public sealed partial class TorrentSession : IAsyncDisposable, ITorrentDirectory
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(5);

    private readonly List<TorrentRuntime> _torrents = [];
    private readonly List<TorrentRuntime> _ticking = [];
    private readonly ConcurrentDictionary<Id20, TorrentRuntime> _byHash = new();
    private readonly SessionListening _listening;
    private readonly List<ISessionPart> _parts = [];
    private readonly PendingConnections _pending = new();
    private readonly IncomingHandshakes _incoming;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private ITimer? _timer;
    private int _state; // 0 created, 1 running, 2 stopped
    private bool _disposed;
    private int _nextPeerId;
    private IPAddress? _externalAddress;

    /// <summary>Creates a session; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <exception cref="TorrentException">A setting is invalid (<see cref="ErrorCode.InvalidArgument"/>).</exception>
    public TorrentSession(SessionSettings? settings = null, TorrentSessionOptions? options = null)
    {
        settings ??= SessionSettings.Default;
        settings.Validate();
        Settings = settings;
        Options = options ?? new TorrentSessionOptions();
        Services = EngineServices.From(Options);
        Time = Services.Time;
        LoggerFactory = Services.LoggerFactory;
        _logger = LoggerFactory.CreateLogger<TorrentSession>();
        Alerts = new AlertManager(settings.AlertQueueCapacity, settings.AlertMask, Options.SynchronizationContext ?? SynchronizationContext.Current)
        {
            HandlerFailed = e => _logger.LogError(e, "An alert event handler threw; the engine carries on"),
        };
        PeerId = PeerId.Generate(settings.PeerIdPrefix, Services.IsSeeded ? Services.CreateRandom() : null);
        Loop = Services.CreateLoop(e => _logger.LogError(e, "Engine work item failed"));
        TrackerOptions = (Options.TrackerOptions ?? new Trackers.TrackerOptions()) with { UserAgent = settings.UserAgent };
        TrackerClients = new Trackers.TrackerClientFactory(TrackerOptions, Time);
        GlobalUpload = new TokenBucket(Time, settings.UploadRateLimit);
        GlobalDownload = new TokenBucket(Time, settings.DownloadRateLimit);
        Disk = new Disk.DiskService(() => Settings.DiskBufferBudget, Services.Background);
        Utp = new Net.Utp.UtpTransport(Services.Datagrams, Time, Services.CreateRandom,
            () => new Net.Utp.UtpPolicy(Settings.EnableIncomingUtp, Settings.UtpTargetDelay), LoggerFactory);
        Connections = new ConnectionPolicy(Services.Transport, Utp, () => Settings, new OutgoingInterfaces(Services.NetworkInterfaces, Time, _logger));
        _listening = new SessionListening(_logger, Alerts, Services.NetworkInterfaces);
        Negotiator = new ConnectionNegotiator(PeerId, this, Time, () => Settings, Options.RandomSeed is { } seed ? Net.Encryption.RandomBytes.Seeded(seed) : Net.Encryption.RandomBytes.Secure);
        Dht = new Discovery.SessionDht(Services, () => Settings, Alerts, Loop);
        _incoming = new IncomingHandshakes(this, _pending, RefusedByIpFilter, hash => _byHash.GetValueOrDefault(hash), _logger);
        Lsd = new Discovery.SessionLsd(Services, () => Settings, Loop, Options.LsdGroups ?? Discovery.LsdGroup.Defaults);
        Services = Services with { PeerSources = [.. Services.PeerSources, Dht.CreateSource, Lsd.CreateSource] };
        PortMapping = new Nat.SessionPortMapping(Services, () => Settings, Alerts, Loop, ReportExternalAddress);
        _parts.Add(PortMapping);
        _parts.Add(Lsd);
    }

    /// <summary>The settings in force.</summary>
    public SessionSettings Settings { get; private set; }

    /// <summary>The one disk service all torrents write through: the shared buffer budget and disk dispatch.</summary>
    internal Disk.DiskService Disk { get; }

    /// <summary>The alert queue and its events.</summary>
    public AlertManager Alerts { get; }

    /// <summary>The endpoints the session listens on, with the real ports (after <see cref="StartAsync"/>).</summary>
    public IReadOnlyList<IPEndPoint> ListenEndPoints => _listening.EndPoints;

    /// <summary>
    /// Where the session could not listen when it started (an address and transport whose ports
    /// were all taken, or an unusable address); empty when every listener opened. The same
    /// failures are posted as <see cref="ListenFailedAlert"/>s.
    /// </summary>
    public IReadOnlyList<ListenFailedAlert> ListenFailures => _listening.Failures;

    /// <summary>
    /// The ports the gateway forwards to us now (UPnP or NAT-PMP, when <see cref="SessionSettings.EnableUpnp"/>
    /// or <see cref="SessionSettings.EnableNatPmp"/> is on); each change is also a <see cref="PortMapAlert"/>.
    /// </summary>
    public IReadOnlyList<PortMapping> PortMappings => PortMapping.Mappings;

    /// <summary>The address peers, trackers or the gateway last told us we have on the internet, or null.</summary>
    public IPAddress? ExternalAddress => Volatile.Read(ref _externalAddress);

    /// <summary>The first listening port, or 0 when not listening.</summary>
    public int ListenPort => ListenEndPoints.Count > 0 ? ListenEndPoints[0].Port : 0;

    /// <summary>True between <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == 1;

    internal TorrentSessionOptions Options { get; }

    internal EngineServices Services { get; }

    internal TimeProvider Time { get; }

    internal ILoggerFactory LoggerFactory { get; }

    internal EngineLoop Loop { get; }

    /// <summary>Incoming connections still in their handshake. Engine loop only.</summary>
    internal int PendingIncoming => _pending.Count;

    internal PeerId PeerId { get; }

    /// <summary>The transports the session listens and dials with.</summary>
    internal ConnectionPolicy Connections { get; }

    /// <summary>The uTP transport: its sockets, connections and statistics.</summary>
    internal Net.Utp.UtpTransport Utp { get; }

    internal Nat.SessionPortMapping PortMapping { get; }

    /// <summary>The port trackers and the DHT announce: the gateway's external port for <see cref="ListenPort"/> when mapped.</summary>
    internal int AnnouncePort => PortMapping.PublicPort(ListenPort);

    /// <summary>Local service discovery (BEP 14): its sockets and every torrent's LSD peer source.</summary>
    internal Discovery.SessionLsd Lsd { get; }

    /// <summary>The DHT: its node (while on), sockets, bootstrap and every torrent's DHT peer source.</summary>
    internal Discovery.SessionDht Dht { get; }

    /// <summary>Handshakes every connection, incoming and outgoing.</summary>
    internal ConnectionNegotiator Negotiator { get; }

    internal Trackers.TrackerOptions TrackerOptions { get; }

    internal Trackers.TrackerClientFactory TrackerClients { get; }

    internal TokenBucket GlobalUpload { get; }

    internal TokenBucket GlobalDownload { get; }

    /// <summary>Outgoing connection attempts in progress (engine loop only).</summary>
    internal int HalfOpen { get; set; }

    /// <summary>Peer connections of every torrent (engine loop only).</summary>
    internal int ConnectionCount { get; set; }

    /// <summary>The torrents, for session-wide decisions on the loop (a full session makes room in any of them).</summary>
    internal IReadOnlyList<TorrentRuntime> Runtimes => _torrents;

    /// <summary>Starts listening and the engine's timers.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new TorrentException(ErrorCode.SessionAlreadyRunning, "A session starts once.");
        }

        return Loop.InvokeAsync(() =>
        {
            StartedAt = Time.GetUtcNow();
            Listen();
            _timer = Time.CreateTimer(_ => Loop.Post(_ => Tick(), null), null, TickInterval, TickInterval);
        }).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Stops the session: peers get a bounded goodbye, torrents flush their data and the
    /// listeners close. Safe to call more than once.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        _stopping.Cancel();
        try
        {
            await Loop.InvokeAsync(async () =>
            {
                if (_timer is not null)
                {
                    await _timer.DisposeAsync().ConfigureAwait(true);
                }

                await _listening.CloseAsync().ConfigureAwait(true);
                await SaveResumeFolderAsync(onlyChanged: false).ConfigureAwait(true);
                // Alongside the torrents' goodbyes: removing port mappings waits on gateways, bounded.
                var partStops = _parts.Select(p => p.StopAsync()).ToList();
                var stops = _torrents.Select(t => t.StopAsync()).Concat(partStops).ToList();
                try
                {
                    await Task.WhenAll(stops).WaitAsync(StopDeadline, Time).ConfigureAwait(true);
                }
                finally
                {
                    // After the torrents' goodbyes: uTP connections (and the DHT) live on these sockets.
                    await Dht.StopAsync().ConfigureAwait(true);
                    await Utp.DisposeAsync().ConfigureAwait(true);
                }
            }).WaitAsync(StopDeadline + StopDeadline, Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("The session did not stop within its deadline");
        }
    }

    /// <summary>Stops the session and its engine thread.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _state) == 1)
        {
            await StopAsync().ConfigureAwait(false);
        }

        Volatile.Write(ref _state, 2);
        Volatile.Write(ref _disposed, true);
        Loop.Dispose();
        TrackerClients.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Adds a torrent; it starts checking its files (and then downloading or seeding) straight away unless paused.</summary>
    /// <exception cref="TorrentException">The session is not running, the parameters are invalid, or the torrent is already added.</exception>
    public Task<TorrentHandle> AddTorrentAsync(AddTorrentParams parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ThrowIfNotRunning();
        if (parameters.Torrent is null && parameters.Magnet is null)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, "A torrent is added from its metadata or a magnet link.");
        }

        if (string.IsNullOrWhiteSpace(parameters.SavePath))
        {
            throw new TorrentException(ErrorCode.InvalidArgument, "A torrent needs a save path.");
        }

        if (parameters.MaxConnections < 0)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, "MaxConnections is 0 (the session's limit) or positive.");
        }

        if (parameters.Torrent is null && parameters.Magnet is { HasInfoHashes: false } channel)
        {
            return AddFromChannelAsync(parameters, channel, cancellationToken);
        }

        return Loop.InvokeAsync(() =>
        {
            var hashes = parameters.Torrent?.InfoHashes ?? parameters.Magnet!.InfoHashes;
            if (_torrents.Any(t => t.InfoHashes.Matches(hashes)))
            {
                throw new TorrentException(ErrorCode.DuplicateTorrent, $"The torrent {hashes.Primary} is already in the session.");
            }

            var runtime = new TorrentRuntime(this, parameters);
            _torrents.Add(runtime);
            foreach (var key in WireHashes(hashes))
            {
                _byHash[key] = runtime;
            }

            Alerts.Post(new TorrentAddedAlert(runtime.Handle));
            Enqueue(runtime);
            runtime.Start();
            return runtime.Handle;
        }).WaitAsync(cancellationToken);
    }

    /// <summary>Removes a torrent, optionally deleting its files. Its handle becomes invalid.</summary>
    public Task RemoveTorrentAsync(TorrentHandle handle, RemoveOptions options = RemoveOptions.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return Loop.InvokeAsync(async () =>
        {
            var runtime = handle.Runtime;
            if (!_torrents.Remove(runtime))
            {
                throw new TorrentException(ErrorCode.InvalidHandle, "The torrent is not in this session.");
            }

            foreach (var key in WireHashes(runtime.InfoHashes))
            {
                _byHash.TryRemove(key, out _);
            }

            Dequeue(runtime);
            await runtime.StopAsync(deleteFiles: (options & RemoveOptions.DeleteFiles) != 0).ConfigureAwait(true);
            Retire(runtime);
            Alerts.Post(new TorrentRemovedAlert(handle));
        }).WaitAsync(cancellationToken);
    }

    /// <summary>Handles of every torrent in the session.</summary>
    public Task<IReadOnlyList<TorrentHandle>> GetTorrentsAsync(CancellationToken cancellationToken = default) =>
        Loop.InvokeAsync(() => (IReadOnlyList<TorrentHandle>)_torrents.Select(t => t.Handle).ToList()).WaitAsync(cancellationToken);

    /// <summary>The torrent with this info-hash (v1, v2, or a v2 hash truncated to 20 bytes), or null.</summary>
    public TorrentHandle? FindTorrent(InfoHash infoHash)
    {
        ArgumentNullException.ThrowIfNull(infoHash);
        return _byHash.TryGetValue(new Id20(infoHash.Truncated), out var runtime) ? runtime.Handle : null;
    }

    /// <summary>Removes and returns every waiting alert (the original API's <c>get_alerts</c>).</summary>
    public IReadOnlyList<Alert> PopAlerts() => Alerts.PopAlerts();

    /// <summary>Discards every waiting alert.</summary>
    public void ClearAlerts() => Alerts.Clear();

    /// <summary>
    /// Applies new settings at run time: rate limits, connection limits, alert mask and the
    /// rest take effect at once; a change of listen addresses or ports rebinds the listeners.
    /// </summary>
    /// <exception cref="TorrentException">A setting is invalid; nothing is changed.</exception>
    public Task ApplySettingsAsync(SessionSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        return Loop.InvokeAsync(async () =>
        {
            var old = Settings;
            Settings = settings;
            Alerts.Mask = settings.AlertMask;
            GlobalUpload.BytesPerSecond = settings.UploadRateLimit;
            GlobalDownload.BytesPerSecond = settings.DownloadRateLimit;
            if (SessionListening.NeedsRebind(old, settings, Connections) && IsRunning)
            {
                await _listening.CloseAsync().ConfigureAwait(true);
                // uTP connections live on the listening UDP sockets: they end with them, as their port goes.
                await Dht.CloseSocketsAsync().ConfigureAwait(true);
                await Utp.CloseListeningAsync().ConfigureAwait(true);
                Listen();
            }

            await Dht.SettingsChangedAsync(old).ConfigureAwait(true);
            foreach (var part in _parts)
            {
                await part.SettingsChangedAsync(old).ConfigureAwait(true);
            }

            foreach (var torrent in _torrents)
            {
                torrent.SettingsChanged();
            }

            SettingsApplied(old);
        }).WaitAsync(cancellationToken);
    }

    internal int NextPeerId() => ++_nextPeerId;

    /// <summary>A peer told us the address it sees us at (BEP 10 <c>yourip</c>); a new one is announced once.</summary>
    internal void ReportExternalAddress(IPAddress address)
    {
        if (!address.Equals(_externalAddress))
        {
            Volatile.Write(ref _externalAddress, address);
            Dht.ObserveExternalAddress(address);
            Alerts.Post(new ExternalIpAlert(address));
        }
    }

    /// <summary>The 20-byte keys a torrent is known by on the wire: the v1 hash and the truncated v2 hash.</summary>
    internal static IEnumerable<Id20> WireHashes(InfoHashes hashes)
    {
        if (hashes.V1 is not null)
        {
            yield return new Id20(hashes.V1.Span);
        }

        if (hashes.V2 is not null)
        {
            yield return new Id20(hashes.V2.Truncated);
        }
    }

    private void ThrowIfNotRunning()
    {
        // A stopped or disposed session is gone for good: "call StartAsync first" would send the
        // caller to a StartAsync that cannot succeed.
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        int state = Volatile.Read(ref _state);
        if (state != 1)
        {
            throw new TorrentException(ErrorCode.SessionNotRunning, state == 0
                ? "The session is not running; call StartAsync first."
                : "The session was stopped; a session runs once, so make a new one.");
        }
    }

    private void Tick()
    {
        if (!IsRunning)
        {
            return;
        }

        // A copy (a torrent's tick may remove it), reused: a fresh one each second is garbage for nothing.
        _ticking.AddRange(_torrents);
        foreach (var torrent in _ticking)
        {
            torrent.Tick();
        }

        _ticking.Clear();
        SessionTick();
    }

    bool ITorrentDirectory.AcceptsPeers(Id20 wireHash) => _byHash.TryGetValue(wireHash, out var runtime) && runtime.AcceptsPeers;

    InfoHashes? ITorrentDirectory.InfoHashesOf(Id20 wireHash) => _byHash.TryGetValue(wireHash, out var runtime) ? runtime.InfoHashes : null;

    IEnumerable<Id20> ITorrentDirectory.WireHashes() => _byHash.Where(pair => pair.Value.AcceptsPeers).Select(pair => pair.Key).ToList();

    private void Listen()
    {
        _listening.Open(Settings, Connections.Listening, stream => _ = Services.Background.Run(() => _incoming.HandleAsync(stream, _stopping.Token)));
        Dht.Listen(ListenEndPoints, Utp.ListeningSockets);
        foreach (var part in _parts)
        {
            part.Listening(ListenEndPoints);
        }
    }
}
