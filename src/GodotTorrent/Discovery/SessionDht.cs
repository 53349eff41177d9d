using System.Net;
using System.Net.Sockets;
using GodotTorrent.Alerts;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht;
using GodotTorrent.Engine;
using GodotTorrent.Net;
using GodotTorrent.Session;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Discovery;

/// <summary>
/// The session's side of the Mainline DHT (BEP 5): makes the node when
/// <see cref="SessionSettings.EnableDht"/> is on and disposes it when it is turned off or the
/// session stops; puts it on one UDP socket per address family (the one uTP listens on, or one
/// bound on the listen port for the DHT alone); resolves the bootstrap routers; keeps the "dht"
/// entry of saved state; and runs every torrent's <see cref="DhtPeerSource"/> from one schedule read
/// by the session's tick (<see cref="Tick"/>). Engine loop only.
/// </summary>
internal sealed class SessionDht(EngineServices services, Func<SessionSettings> settings, AlertManager alerts, EngineLoop loop)
{
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<SessionDht>();
    // A torrent's first lookups are spread over this window at most (BEP 5 names no pace; libtorrent
    // spreads its announces over the interval): 1,000 torrents starting together ask 9 a second.
    private const int StartWindowSeconds = 120;

    // Lookups started in one tick at least, however few the torrents.
    private const int MinLookupsPerTick = 2;

    private readonly List<DhtPeerSource> _sources = [];
    private readonly AnnounceSchedule<DhtPeerSource> _schedule = new();
    private readonly List<DhtPeerSource> _ready = [];
    private readonly List<DhtPeerSource> _taking = [];
    private readonly List<IDatagramSocket> _attached = [];
    private readonly List<IDatagramSocket> _owned = [];
    private IReadOnlyList<IPEndPoint> _listening = [];
    private IReadOnlyList<IDatagramSocket> _utpSockets = [];
    private BDictionary? _savedState;
    private int _bootstrapGeneration;
    private bool _unavailable;

    /// <summary>The node while the DHT runs; null when it is off (or could not start).</summary>
    public IDht? Node { get; private set; }

    /// <summary>The UDP port the DHT listens on (what a BEP 5 port message says); 0 without one.</summary>
    public int Port => Node is not null && _attached.Count > 0 ? _attached[0].LocalEndPoint.Port : 0;

    /// <summary>How often a torrent looks up and announces.</summary>
    public TimeSpan AnnounceInterval => settings().DhtAnnounceInterval;

    /// <summary>How often a followed update channel (BEP 46) is read again.</summary>
    public TimeSpan FollowInterval => settings().DhtFollowInterval;

    /// <summary>The node's counters; zeros without a node.</summary>
    public DhtStatistics Statistics => Node?.Statistics ?? default;

    /// <summary>The peer source factory every torrent gets.</summary>
    public IPeerSource CreateSource(PeerSourceContext context) => new DhtPeerSource(context, this, services.CreateRandom());

    /// <summary>The "dht" entry of loaded session state, for the node made at start.</summary>
    public void Restore(BDictionary? state) => _savedState = state;

    /// <summary>What the "dht" entry of saved state holds: the running node's state, or the last one known.</summary>
    public BDictionary SaveState() => Node?.SaveState() ?? _savedState ?? new BDictionary();

    /// <summary>The session listens (again) on <paramref name="endPoints"/>; <paramref name="utpSockets"/> are uTP's listening sockets.</summary>
    public void Listen(IReadOnlyList<IPEndPoint> endPoints, IReadOnlyList<IDatagramSocket> utpSockets)
    {
        _listening = endPoints;
        _utpSockets = utpSockets;
        if (Node is null)
        {
            TryStart();
        }
        else
        {
            AttachSockets(Node);
        }
    }

    /// <summary>Takes the node off its sockets before they close (the listen port changes, or the session stops).</summary>
    public async ValueTask CloseSocketsAsync()
    {
        foreach (var socket in _attached)
        {
            Node?.Detach(socket);
        }

        _attached.Clear();
        foreach (var socket in _owned)
        {
            await socket.DisposeAsync().ConfigureAwait(true);
        }

        _owned.Clear();
    }

    /// <summary>Starts, stops or updates the node after the settings changed.</summary>
    public async ValueTask SettingsChangedAsync(SessionSettings old)
    {
        var now = settings();
        if (!now.EnableDht)
        {
            _unavailable = false;
            await EndNodeAsync().ConfigureAwait(true);
            return;
        }

        if (Node is null)
        {
            TryStart();
            return;
        }

        if (OptionsOf(old) != OptionsOf(now))
        {
            Node.Apply(OptionsOf(now));
        }

        if (!old.DhtBootstrapNodes.SequenceEqual(now.DhtBootstrapNodes))
        {
            Bootstrap(Node);
        }
    }

    /// <summary>The session stops (after its torrents): the node ends, its state kept for <see cref="SaveState"/>; nothing starts it again.</summary>
    public ValueTask StopAsync()
    {
        _listening = [];
        _utpSockets = [];
        return EndNodeAsync();
    }

    // Its sources stop looking, its sockets are let go, its state is kept.
    private async ValueTask EndNodeAsync()
    {
        if (Node is not { } node)
        {
            return;
        }

        foreach (var source in _sources)
        {
            source.DhtStopped();
        }

        _schedule.Clear();
        _ready.Clear();

        await CloseSocketsAsync().ConfigureAwait(true);
        _savedState = node.SaveState();
        Node = null;
        _bootstrapGeneration++;
        await node.DisposeAsync().ConfigureAwait(true);
    }

    /// <summary>A peer's BEP 5 port message: its DHT node, worth a ping.</summary>
    public void AddNode(IPAddress address, int port) => Node?.AddNode(new IPEndPoint(address, port));

    /// <summary>Our address as others see it (BEP 42 derives the node id from it).</summary>
    public void ObserveExternalAddress(IPAddress address) => Node?.ObserveExternalAddress(address);

    /// <summary>A torrent starts: its first lookup waits for its turn in <see cref="Tick"/>.</summary>
    internal void Register(DhtPeerSource source)
    {
        _sources.Add(source);
        if (Node is not null)
        {
            _schedule.Set(source, services.Time.GetUtcNow());
        }
    }

    internal void Unregister(DhtPeerSource source)
    {
        _sources.Remove(source);
        _schedule.Remove(source);
        _ready.Remove(source);
    }

    /// <summary>How many due torrents start their lookups in one tick: all of <paramref name="torrents"/> within the start window.</summary>
    internal static int LookupsPerTick(int torrents) => Math.Max(MinLookupsPerTick, (torrents + StartWindowSeconds - 1) / StartWindowSeconds);

    /// <summary>
    /// The session's tick: starts the lookups that are due, a share of them each tick so torrents
    /// that start together (a session loading 1,000) are spread over <see cref="StartWindowSeconds"/>
    /// instead of all asking at once; the neediest first: magnets without a peer, then downloads, then seeds.
    /// </summary>
    public void Tick(DateTimeOffset now)
    {
        if (Node is null)
        {
            return;
        }

        _schedule.TakeDue(now, _ready);
        if (_ready.Count == 0)
        {
            return;
        }

        int share = LookupsPerTick(_sources.Count);
        for (int need = 0; need <= 2 && _taking.Count < share; need++)
        {
            foreach (var source in _ready)
            {
                if (_taking.Count == share)
                {
                    break;
                }

                if (source.Need == need)
                {
                    _taking.Add(source);
                }
            }
        }

        foreach (var source in _taking)
        {
            _ready.Remove(source);
            var next = source.LookUp();
            if (next != Timeout.InfiniteTimeSpan && Node is not null)
            {
                _schedule.Set(source, now + next);
            }
        }

        _taking.Clear();
    }

    private static DhtOptions OptionsOf(SessionSettings s) => new(s.DhtReadOnly, s.DhtUploadRateLimit, s.DhtAlpha, s.DhtEnforceNodeId);

    private void TryStart()
    {
        var now = settings();
        if (!now.EnableDht || _unavailable || _listening.Count == 0)
        {
            return;
        }

        IDht node;
        try
        {
            node = services.CreateDht(new DhtFactoryArgs(services.Time, services.CreateRandom(), services.LoggerFactory,
                alerts.Post, OptionsOf(now), _savedState, services.Datagrams.CompletesInline));
        }
#pragma warning disable CA1031 // Without a node the session runs on, without the DHT, and says why.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _unavailable = true;
            _logger.LogWarning(e, "The DHT could not start");
            alerts.Post(new DhtErrorAlert(ErrorCode.DhtUnavailable, $"the DHT could not start: {e.Message}"));
            return;
        }

        Node = node;
        AttachSockets(node);
        Bootstrap(node);
        // Every running torrent looks up, in turn (Tick).
        var at = services.Time.GetUtcNow();
        foreach (var source in _sources)
        {
            _schedule.Set(source, at);
        }
    }

    // One socket per address family: a second of the same family would move the node (IDht.Attach).
    private void AttachSockets(IDht node)
    {
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            if (_attached.Any(s => s.LocalEndPoint.AddressFamily == family))
            {
                continue;
            }

            if (_utpSockets.FirstOrDefault(s => s.LocalEndPoint.AddressFamily == family) is { } shared)
            {
                node.Attach(shared);
                _attached.Add(shared);
            }
            else if (_listening.FirstOrDefault(e => e.AddressFamily == family) is { } endPoint)
            {
                BindOwn(node, endPoint);
            }
        }
    }

    // uTP does not listen: the DHT binds the listen port's UDP side alone.
    private void BindOwn(IDht node, IPEndPoint endPoint)
    {
        IDatagramSocket socket;
        try
        {
            socket = services.Datagrams.Bind(endPoint);
        }
        catch (SocketException e)
        {
            _logger.LogWarning(e, "The DHT could not bind UDP {EndPoint}", endPoint);
            alerts.Post(new DhtErrorAlert(ErrorCode.DhtUnavailable, $"could not bind UDP {endPoint}: {e.Message}"));
            return;
        }

        node.Attach(socket);
        socket.Start();
        _owned.Add(socket);
        _attached.Add(socket);
    }

    private void Bootstrap(IDht node)
    {
        int generation = ++_bootstrapGeneration;
        var (literals, names) = DhtBootstrapNodes.Split(settings().DhtBootstrapNodes);
        node.SetBootstrapNodes(literals);
        if (names.Count == 0)
        {
            return;
        }

        _ = services.Background.Run(async () =>
        {
            var resolved = new List<IPEndPoint>(literals);
            foreach (var (host, port) in names)
            {
                try
                {
                    resolved.AddRange(await DhtBootstrapNodes.ResolveAsync(host, port).ConfigureAwait(true));
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ArgumentException)
                {
                    _logger.LogDebug(e, "DHT bootstrap node {Host} did not resolve", host);
                    alerts.Post(new DhtErrorAlert(ErrorCode.DhtBootstrapFailed, $"bootstrap node {host}:{port} did not resolve: {e.Message}"));
                }
            }

            loop.Post(_ =>
            {
                if (generation == _bootstrapGeneration && Node is { } current)
                {
                    current.SetBootstrapNodes(resolved);
                }
            }, null);
        });
    }
}
