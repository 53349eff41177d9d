using System.Net;
using System.Net.Sockets;
using GodotTorrent.Engine;
using GodotTorrent.Net;
using GodotTorrent.Session;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Discovery;

/// <summary>
/// The session's local service discovery (BEP 14): while <see cref="SessionSettings.EnableLsd"/>
/// is on and the session listens, one <see cref="LsdChannel"/> per group (IPv4, IPv6) carries the
/// announces of every torrent's <see cref="LsdPeerSource"/>, paced to one datagram a session tick
/// (a second) with several info-hashes each (BEP 14 allows several Infohash headers), and turns
/// announces heard for our torrents into peers. The torrents' 5-minute schedule is one queue read
/// by the session's tick (<see cref="Tick"/>), no timer per torrent. Our own
/// announces come back (multicast loopback) and are known by their cookie. Engine loop only,
/// except the receive handler, which decodes and posts.
/// </summary>
internal sealed class SessionLsd : ISessionPart, IDatagramHandler
{
    /// <summary>At most one datagram this often: one per session tick (libtorrent's LSD sends one per torrent, a second apart at most).</summary>
    public static readonly TimeSpan SendGap = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Info-hashes per datagram: as many as our own decoder takes (about 950 bytes, under BEP 14's
    /// 1,400), so 1,000 torrents starting together are announced in about a minute, at one datagram a second.
    /// </summary>
    public const int HashesPerDatagram = LsdCodec.MaxInfoHashes;

    // Received announces waiting for the loop: more than this and the rest are dropped (a flood).
    private const int MaxPendingReceived = 64;

    private readonly EngineServices _services;
    private readonly Func<SessionSettings> _settings;
    private readonly EngineLoop _loop;
    private readonly IReadOnlyList<LsdGroup> _groups;
    private readonly ILogger _logger;
    private readonly List<LsdChannel> _channels = [];
    private readonly Dictionary<Id20, LsdPeerSource> _sources = [];
    private readonly List<Id20> _due = [];
    private readonly AnnounceSchedule<LsdPeerSource> _schedule = new();
    private readonly List<LsdPeerSource> _taking = [];
    private IReadOnlyList<IPEndPoint> _listening = [];
    private int _pendingReceived;
    private bool _stopped;
    private long _received;
    private long _dropped;
    private long _own;
    private long _sent;

    public SessionLsd(EngineServices services, Func<SessionSettings> settings, EngineLoop loop, IReadOnlyList<LsdGroup> groups)
    {
        _services = services;
        _settings = settings;
        _loop = loop;
        _groups = groups;
        _logger = services.LoggerFactory.CreateLogger<SessionLsd>();
        Cookie = services.CreateRandom().Next().ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What our announces carry so we can ignore them when they come back.</summary>
    public string Cookie { get; }

    /// <summary>True while the sockets are open.</summary>
    public bool IsOpen => _channels.Count > 0;

    /// <summary>Well-formed announces from others (any thread).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Datagrams refused: malformed, or dropped in a flood (any thread).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Our own announces heard back (any thread).</summary>
    public long OwnHeard => Interlocked.Read(ref _own);

    /// <summary>Datagrams sent, one per channel and batch (engine loop).</summary>
    public long Sent => _sent;

    /// <summary>The peer source factory every torrent gets.</summary>
    public IPeerSource CreateSource(PeerSourceContext context) => new LsdPeerSource(context, this);

    public void Listening(IReadOnlyList<IPEndPoint> endPoints)
    {
        // The channels join the interfaces listened on: other addresses need them joined anew.
        bool moved = IsOpen && !endPoints.Select(e => e.Address).SequenceEqual(_listening.Select(e => e.Address));
        _listening = endPoints;
        if (moved)
        {
            _ = ReopenAsync();
            return;
        }

        Update();
    }

    private async Task ReopenAsync()
    {
        await CloseAsync().ConfigureAwait(true);
        Update();
    }

    public async Task SettingsChangedAsync(SessionSettings old)
    {
        if (!_settings().EnableLsd)
        {
            await CloseAsync().ConfigureAwait(true);
        }
        else
        {
            Update();
        }
    }

    public Task StopAsync()
    {
        _stopped = true;
        _listening = [];
        return CloseAsync();
    }

    /// <summary>Queues the torrent's hashes for the next datagram (a torrent's start, then every 5 minutes).</summary>
    internal void Announce(IEnumerable<Id20> hashes)
    {
        if (!IsOpen)
        {
            return;
        }

        foreach (var hash in hashes)
        {
            if (!_due.Contains(hash))
            {
                _due.Add(hash);
            }
        }
    }

    /// <summary>A torrent starts: it announces (in the next datagram) and is on the schedule from then on.</summary>
    internal void Register(LsdPeerSource source, IEnumerable<Id20> hashes)
    {
        foreach (var hash in hashes)
        {
            _sources[hash] = source;
        }

        Run(source, _services.Time.GetUtcNow());
    }

    internal void Unregister(LsdPeerSource source)
    {
        _schedule.Remove(source);
        foreach (var hash in _sources.Where(pair => pair.Value == source).Select(pair => pair.Key).ToList())
        {
            _sources.Remove(hash);
            _due.Remove(hash);
        }
    }

    /// <summary>The session's tick: the torrents due announce, and one datagram of queued hashes goes out.</summary>
    public void Tick(DateTimeOffset now)
    {
        _schedule.TakeDue(now, _taking);
        foreach (var source in _taking)
        {
            Run(source, now);
        }

        _taking.Clear();
        Pump();
    }

    // Announces the torrent if it may and puts it back on the schedule for its next turn.
    private void Run(LsdPeerSource source, DateTimeOffset now)
    {
        var next = source.AnnounceNow();
        if (next != Timeout.InfiniteTimeSpan)
        {
            _schedule.Set(source, now + next);
        }
        else
        {
            _schedule.Remove(source);
        }
    }

    bool IDatagramHandler.Claims(ReadOnlySpan<byte> datagram, IPEndPoint from) => datagram.StartsWith("BT-SEARCH"u8);

    void IDatagramHandler.Receive(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        var message = LsdCodec.TryDecode(datagram);
        if (message is null)
        {
            Interlocked.Increment(ref _dropped);
            _logger.LogDebug("Malformed LSD datagram from {From} dropped", from);
            return;
        }

        if (message.Cookie == Cookie)
        {
            Interlocked.Increment(ref _own);
            return;
        }

        if (Interlocked.Increment(ref _pendingReceived) > MaxPendingReceived)
        {
            Interlocked.Decrement(ref _pendingReceived);
            Interlocked.Increment(ref _dropped);
            return;
        }

        Interlocked.Increment(ref _received);
        var peer = new IPEndPoint(from.Address, message.Port);
        _loop.Post(_ =>
        {
            Interlocked.Decrement(ref _pendingReceived);
            foreach (var hash in message.InfoHashes)
            {
                if (_sources.TryGetValue(hash, out var source))
                {
                    source.Deliver(peer);
                }
            }
        }, null);
    }

    // Opens the channels when LSD is on and the session listens, then announces every torrent at once.
    private void Update()
    {
        if (_stopped || !_settings().EnableLsd || _listening.Count == 0 || IsOpen)
        {
            if (IsOpen)
            {
                AnnounceAll();
            }

            return;
        }

        foreach (var group in _groups)
        {
            if (LsdChannel.Open(group, _services.Datagrams, [.. _listening.Select(e => e.Address)], _logger) is not { } channel)
            {
                continue;
            }

            channel.Socket.Register(this);
            channel.Socket.Start();
            _channels.Add(channel);
        }

        AnnounceAll();
    }

    // A new listen port, or LSD just opened: every running torrent tells the network.
    private void AnnounceAll()
    {
        var now = _services.Time.GetUtcNow();
        foreach (var source in _sources.Values.Distinct().ToList())
        {
            Run(source, now);
        }
    }

    private async Task CloseAsync()
    {
        _due.Clear();
        foreach (var channel in _channels)
        {
            await channel.DisposeAsync().ConfigureAwait(true);
        }

        _channels.Clear();
    }

    // Sends one datagram of queued hashes (called once a tick, so datagrams go a tick apart).
    private void Pump()
    {
        if (_due.Count == 0 || !IsOpen)
        {
            return;
        }

        int count = Math.Min(HashesPerDatagram, _due.Count);
        var batch = _due.GetRange(0, count);
        _due.RemoveRange(0, count);
        foreach (var channel in _channels)
        {
            int port = PortFor(channel.Group.AddressFamily);
            if (port == 0)
            {
                continue;
            }

            if (channel.Send(LsdCodec.Encode(channel.Group, port, batch, Cookie)))
            {
                _sent++;
            }
            else
            {
                _logger.LogDebug("LSD announce to {Group} could not be sent", channel.Group);
            }
        }
    }

    // The port peers of that family reach us on: the listen port of that family, or any.
    private int PortFor(AddressFamily family) =>
        (_listening.FirstOrDefault(e => e.AddressFamily == family) ?? (_listening.Count > 0 ? _listening[0] : null))?.Port ?? 0;
}
