using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Session.Settings;

namespace GodotTorrent.Session;

/// <summary>
/// Everything a session can be told, as one immutable, validated record. Nothing is added
/// behind the app's back: no public trackers, no bootstrap nodes, no port mapping unless set
/// here. Change settings at run time with <c>TorrentSession.ApplySettingsAsync</c>.
/// </summary>
public sealed record SessionSettings
{
    /// <summary>The defaults: listen on every interface on ports 6881-6889, no rate limits, DHT/LSD/UPnP/NAT-PMP off.</summary>
    public static SessionSettings Default { get; } = new();

    /// <summary>Addresses to listen on (default: every IPv4 and IPv6 interface). Empty: accept no incoming connections.</summary>
    public IReadOnlyList<IPAddress> ListenAddresses { get; init; } = [IPAddress.Any, IPAddress.IPv6Any];

    /// <summary>
    /// Where to listen, by interface name or address, as libtorrent's <c>listen_interfaces</c>:
    /// <c>eth0</c>, <c>eth0:6881</c>, <c>192.168.1.5:6881</c>, <c>[::1]:6881</c>, <c>0.0.0.0</c>.
    /// A name means every address of that interface, IPv4 and IPv6 (not IPv6 link-local), read
    /// when the session listens; an entry without a port uses <see cref="ListenPort"/>. When not
    /// empty it replaces <see cref="ListenAddresses"/>. A name that does not exist or has no
    /// address is a <see cref="ListenFailedAlert"/> naming it. Empty by default.
    /// </summary>
    public IReadOnlyList<string> ListenInterfaces { get; init; } = [];

    /// <summary>
    /// Interface names or addresses outgoing TCP connections leave from, as libtorrent's
    /// <c>outgoing_interfaces</c>: each dial binds to the first address of the peer's family they
    /// give, and a peer of a family none of them has is not dialled (so traffic never leaves
    /// through another interface). uTP, the DHT and UDP trackers leave from the listening sockets.
    /// Empty by default: the system picks.
    /// </summary>
    public IReadOnlyList<string> OutgoingInterfaces { get; init; } = [];

    /// <summary>First port to try; 0 lets the system pick a free port (the bound port is reported).</summary>
    public int ListenPort { get; init; } = 6881;

    /// <summary>How many ports from <see cref="ListenPort"/> on to try when one is taken (1 = only that port).</summary>
    public int ListenPortRange { get; init; } = 9;

    /// <summary>Whether IPv6 addresses are used for listening and connecting (kept when the port changes).</summary>
    public bool EnableIPv6 { get; init; } = true;

    /// <summary>Most peer connections for the whole session.</summary>
    public int MaxConnections { get; init; } = 200;

    /// <summary>Most peer connections per torrent.</summary>
    public int MaxConnectionsPerTorrent { get; init; } = 60;

    /// <summary>Most outgoing connection attempts in progress at once.</summary>
    public int MaxHalfOpenConnections { get; init; } = 32;

    /// <summary>
    /// Most connections per torrent from one IP address (ports differ). At the limit a newcomer from
    /// that address replaces the least useful connection from it, or is refused. With
    /// <see cref="AllowMultipleConnectionsPerIp"/> off the limit is 1.
    /// </summary>
    public int MaxConnectionsPerAddress { get; init; } = 8;

    /// <summary>Most incoming connections still in their handshake at once; when full, the oldest from the address with the most is dropped.</summary>
    public int MaxPendingIncoming { get; init; } = 128;

    /// <summary>Peers each torrent uploads to at once (unchoke slots), the optimistic slot included.</summary>
    public int UploadSlotsPerTorrent { get; init; } = 4;

    /// <summary>Session-wide upload limit in bytes per second; 0 = unlimited.</summary>
    public long UploadRateLimit { get; init; }

    /// <summary>Session-wide download limit in bytes per second; 0 = unlimited.</summary>
    public long DownloadRateLimit { get; init; }

    /// <summary>How a seeding torrent picks whom to upload to.</summary>
    public SeedChokingAlgorithm SeedChokingAlgorithm { get; init; } = SeedChokingAlgorithm.FastestUpload;

    /// <summary>Azureus-style peer id prefix: 8 printable ASCII characters such as <c>-GT0100-</c>.</summary>
    public string PeerIdPrefix { get; init; } = "-GT0100-";

    /// <summary>The client name sent to peers (BEP 10 <c>v</c>), trackers and web seeds (User-Agent); printable ASCII.</summary>
    public string UserAgent { get; init; } = "Godot-Torrent/0.1.0";

    /// <summary>Alert categories queued.</summary>
    public AlertCategory AlertMask { get; init; } = AlertCategory.Default;

    /// <summary>Most alerts kept in the queue before the oldest are dropped.</summary>
    public int AlertQueueCapacity { get; init; } = 1000;

    /// <summary>How long an outgoing connection (TCP connect plus handshake) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A peer that sends nothing (not even keep-alives) for this long is disconnected.</summary>
    public TimeSpan PeerInactivityTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long an incoming connection may take to complete its handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A peer that sends no message after its handshake (no bitfield, have-all or have-none, nor
    /// anything else; keep-alives do not count) for this long is disconnected.
    /// </summary>
    public TimeSpan PeerSilenceTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// When a torrent or the session uses 90 % of its connection slots, a peer that neither side is
    /// interested in and that moved no payload for this long is disconnected.
    /// </summary>
    public TimeSpan PeerUselessTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A requested block not received within this time is requested from another peer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Memory for blocks received but not yet written and verified; when full, downloading waits.</summary>
    public long DiskBufferBudget { get; init; } = 64L * 1024 * 1024;

    /// <summary>Whether several connections from one IP address are allowed (needed for swarms on one machine).</summary>
    public bool AllowMultipleConnectionsPerIp { get; init; } = true;

    /// <summary>
    /// Strikes for bad data before a peer's address is banned. A strike is a piece that failed
    /// its hash with every block from that peer; a peer whose block is proven wrong once the piece
    /// passes (smart ban) is banned at once, and one that shared a failed piece with others is not blamed.
    /// </summary>
    public int MaxHashFailuresPerPeer { get; init; } = 3;

    /// <summary>
    /// Disconnections for breaking the protocol (oversized or malformed messages, bad bitfields,
    /// wrong piece indices, unrequested blocks) before a peer's address is banned. Each one also
    /// holds off redialling it: 30 s, then doubling up to an hour.
    /// </summary>
    public int MaxProtocolStrikesPerPeer { get; init; } = 3;

    /// <summary>Auto-managed torrents downloading at once; more wait in the queue.</summary>
    public int ActiveDownloads { get; init; } = 3;

    /// <summary>Auto-managed torrents seeding at once.</summary>
    public int ActiveSeeds { get; init; } = 5;

    /// <summary>Auto-managed torrents running at once in all.</summary>
    public int ActiveLimit { get; init; } = 15;

    /// <summary>Whether running torrents slower than the slow-torrent rates stop counting against the limits.</summary>
    public bool DontCountSlowTorrents { get; init; } = true;

    /// <summary>A download slower than this (bytes per second, over a minute) counts as slow.</summary>
    public long SlowTorrentDownloadRate { get; init; } = 2048;

    /// <summary>A seed slower than this (bytes per second, over a minute) counts as slow.</summary>
    public long SlowTorrentUploadRate { get; init; } = 2048;

    /// <summary>
    /// Seeding goal (libtorrent's <c>share_ratio_limit</c>, in percent): a complete torrent is paused, with a
    /// <see cref="Alerts.SeedGoalReachedAlert"/>, once it uploaded this share of the larger of what it downloaded
    /// and its size (150 = 1.5 times). 0 = stop at completion; negative (the default, -1) = no limit.
    /// <see cref="AddTorrentParams.ShareRatioLimit"/> overrides it per torrent.
    /// </summary>
    public int ShareRatioLimit { get; init; } = -1;

    /// <summary>
    /// Seeding goal (libtorrent's <c>seed_time_limit</c>): a complete torrent is paused, with a
    /// <see cref="Alerts.SeedGoalReachedAlert"/>, once it has seeded this long (counted only while it runs
    /// complete, kept across restarts in resume data). <see cref="TimeSpan.Zero"/> = stop at completion;
    /// negative (the default, <see cref="Timeout.InfiniteTimeSpan"/>) = no limit.
    /// <see cref="AddTorrentParams.SeedTimeLimit"/> overrides it per torrent.
    /// </summary>
    public TimeSpan SeedTimeLimit { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>How often resume data of changed torrents is saved to the resume folder (when the session has one).</summary>
    public TimeSpan ResumeDataInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Which peer addresses may connect, in and out (empty by default). Add rules with
    /// <c>TorrentSession.AddIpFilterRuleAsync</c>: they accumulate. Connections from addresses a
    /// new filter blocks are closed.
    /// </summary>
    public IpFilter IpFilter { get; init; } = IpFilter.Empty;

    /// <summary>
    /// Protocol encryption (MSE/PE) for connections peers open to us. <see cref="EncryptionPolicy.Enabled"/>
    /// (default) takes plaintext and MSE; <see cref="EncryptionPolicy.Forced"/> refuses plaintext. MSE
    /// is obfuscation against traffic shaping, not a security guarantee.
    /// </summary>
    public EncryptionPolicy IncomingEncryption { get; init; } = EncryptionPolicy.Enabled;

    /// <summary>
    /// Protocol encryption (MSE/PE) for connections we open. <see cref="EncryptionPolicy.Enabled"/>
    /// (default) tries MSE first and retries a peer that does not speak it in plaintext once, then
    /// remembers; <see cref="EncryptionPolicy.Forced"/> never sends plaintext.
    /// </summary>
    public EncryptionPolicy OutgoingEncryption { get; init; } = EncryptionPolicy.Enabled;

    /// <summary>What an MSE connection may carry after its handshake: plaintext, RC4, or both (default).</summary>
    public EncryptionLevel AllowedEncryptionLevel { get; init; } = EncryptionLevel.Both;

    /// <summary>
    /// When both sides allow both levels, choose RC4 over plaintext (off by default: RC4 costs CPU
    /// and hides little more). The side that answers an MSE handshake chooses, so this decides for
    /// connections peers open to us; for ours the peer chooses among the levels we allow.
    /// </summary>
    public bool PreferRc4 { get; init; }

    /// <summary>Accept TCP connections from peers (on by default).</summary>
    public bool EnableIncomingTcp { get; init; } = true;

    /// <summary>Dial peers over TCP (on by default; without it only uTP dials).</summary>
    public bool EnableOutgoingTcp { get; init; } = true;

    /// <summary>Accept uTP connections from peers (BEP 29; on by default).</summary>
    public bool EnableIncomingUtp { get; init; } = true;

    /// <summary>
    /// Dial peers over uTP (BEP 29; on by default). uTP is tried first for peers known to speak it
    /// (PEX flag, an earlier uTP connection from them); a failed uTP dial falls back to TCP once.
    /// </summary>
    public bool EnableOutgoingUtp { get; init; } = true;

    /// <summary>
    /// The queuing delay uTP's LEDBAT congestion control aims for (100 ms by default, as BEP 29 and
    /// libtorrent; 5 ms to 1 s): uTP slows down when the link's queue grows past it, so a transfer
    /// steps aside for other traffic. Lower values yield sooner; <see cref="Background"/> uses 60 ms.
    /// </summary>
    /// <remarks>
    /// On a 20 Mbit/s link with a 40 ms round trip, a TCP transfer started beside our uTP got 65 %
    /// of the link in its first 5 s with 100 ms, and 90-93 % with 60 ms, LEDBAT++'s value
    /// (bench/README.md, "Yielding with a 60 ms target"); our uTP alone used all of it either way.
    /// </remarks>
    public TimeSpan UtpTargetDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Settings for a download that runs behind a game: uTP only (no TCP in or out) with LEDBAT
    /// aiming at 60 ms of queue (LEDBAT++'s target) instead of 100, so the transfer gives way within
    /// a second or two when the game, a voice call or a browser needs the link. Combine with
    /// <c>with</c> for the rest.
    /// </summary>
    public static SessionSettings Background { get; } = new()
    {
        EnableIncomingTcp = false,
        EnableOutgoingTcp = false,
        EnableIncomingUtp = true,
        EnableOutgoingUtp = true,
        UtpTargetDelay = TimeSpan.FromMilliseconds(60),
    };

    /// <summary>
    /// The Mainline DHT (BEP 5): find peers without a tracker (magnet links with only an
    /// info-hash) and announce ours. Off unless the app turns it on; private torrents never use it.
    /// The DHT shares each listen address's UDP socket with uTP.
    /// </summary>
    public bool EnableDht { get; init; }

    /// <summary>
    /// DHT bootstrap nodes as <c>host:port</c> (<c>[::1]:6881</c> for IPv6). None unless the app
    /// names them: no public routers are contacted behind its back. Use
    /// <see cref="PublicDhtRouters"/> to join the public DHT.
    /// </summary>
    public IReadOnlyList<string> DhtBootstrapNodes { get; init; } = [];

    /// <summary>
    /// The well-known public DHT routers (BitTorrent Inc., Transmission, uTorrent, libtorrent), for
    /// <see cref="DhtBootstrapNodes"/> when the app joins the public DHT rather than its own.
    /// </summary>
    public static IReadOnlyList<string> PublicDhtRouters { get; } =
        ["router.bittorrent.com:6881", "dht.transmissionbt.com:6881", "router.utorrent.com:6881", "dht.libtorrent.org:25401"];

    /// <summary>
    /// BEP 43 read-only DHT node: we look up and announce, but answer no queries and ask others not
    /// to keep us in their routing tables (for mobile or metered players). Off by default.
    /// </summary>
    public bool DhtReadOnly { get; init; }

    /// <summary>Bytes per second the DHT may send (8,000 by default, as libtorrent; 0: unlimited).</summary>
    public int DhtUploadRateLimit { get; init; } = 8000;

    /// <summary>
    /// BEP 42: keep only nodes whose id matches their address in the routing table. Off by
    /// default (as libtorrent): many nodes do not follow BEP 42 yet.
    /// </summary>
    public bool DhtEnforceNodeId { get; init; }

    /// <summary>Parallel requests per DHT lookup, 3 (the default) to 5.</summary>
    public int DhtAlpha { get; init; } = 3;

    /// <summary>
    /// How often each torrent looks its peers up in the DHT and announces itself (15 minutes by
    /// default, as libtorrent; 1 minute to 1 hour, with some jitter). A magnet link that has no peers
    /// yet looks up every minute or so until it has some.
    /// </summary>
    public TimeSpan DhtAnnounceInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// BEP 46: how often the update channel of a torrent added from a <c>xs=urn:btpk:</c> magnet
    /// is read again to find a new version (5 minutes by default; 5 seconds to 1 day). Each read
    /// is one DHT lookup; a new version is reported by <see cref="TorrentSession.TorrentUpdateAvailable"/>.
    /// </summary>
    public TimeSpan DhtFollowInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Local service discovery (BEP 14). Off unless the app turns it on.</summary>
    public bool EnableLsd { get; init; }

    /// <summary>UPnP port mapping. Off unless the app turns it on.</summary>
    public bool EnableUpnp { get; init; }

    /// <summary>NAT-PMP port mapping. Off unless the app turns it on.</summary>
    public bool EnableNatPmp { get; init; }

    /// <summary>
    /// Download from the torrents' web seeds (BEP 19 <c>url-list</c>, and those added with
    /// <see cref="TorrentHandle.AddWebSeedAsync"/>) while a torrent downloads. On by default.
    /// </summary>
    public bool EnableWebSeeds { get; init; } = true;

    /// <summary>Most HTTP requests in flight to one web seed at once (4 by default; 1 to 64).</summary>
    public int WebSeedConnectionsPerServer { get; init; } = 4;

    /// <summary>A web seed request that receives nothing for this long fails and the web seed backs off (30 s by default).</summary>
    public TimeSpan WebSeedRequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bytes after a <see cref="TorrentFileStream"/>'s read position whose pieces become time-critical
    /// (requested before anything else); 4 MiB by default, 0 for only the piece being read, at most 1 GiB.
    /// A stream may ask for its own (<see cref="TorrentHandle.OpenFileStreamAsync"/>).
    /// </summary>
    public long StreamReadAhead { get; init; } = 4L * 1024 * 1024;

    /// <summary>
    /// Throws <see cref="TorrentException"/> with <see cref="ErrorCode.InvalidArgument"/> naming
    /// the first invalid setting: a setting is never silently ignored.
    /// </summary>
    public void Validate() => SessionSettingsSchema.Validate(this);
}
