using System.Net;

namespace GodotTorrent.Session;

/// <summary>An immutable snapshot of one connected peer.</summary>
public sealed record PeerInfo
{
    /// <summary>The peer's address and port. For a web seed, 0.0.0.0 and the URL's port (HTTP may use several addresses): see <see cref="WebSeedUrl"/>.</summary>
    public required IPEndPoint EndPoint { get; init; }

    /// <summary>The client name decoded from the peer id (or the extension handshake), e.g. "libtorrent 2.0.8".</summary>
    public required string Client { get; init; }

    /// <summary>The 20-byte peer id in hex.</summary>
    public required string PeerId { get; init; }

    /// <summary>True when we dialled the peer, false when it connected to us.</summary>
    public bool IsOutgoing { get; init; }

    /// <summary>Fraction of the torrent's pieces the peer has, 0 to 1.</summary>
    public double Progress { get; init; }

    /// <summary>True when the peer has every piece.</summary>
    public bool IsSeed { get; init; }

    /// <summary>We are interested in the peer's pieces.</summary>
    public bool AmInterested { get; init; }

    /// <summary>We choke the peer (do not upload to it).</summary>
    public bool AmChoking { get; init; }

    /// <summary>The peer is interested in our pieces.</summary>
    public bool PeerInterested { get; init; }

    /// <summary>The peer chokes us.</summary>
    public bool PeerChoking { get; init; }

    /// <summary>The peer has not sent a requested block for a long time.</summary>
    public bool IsSnubbed { get; init; }

    /// <summary>Payload download rate from the peer, bytes per second.</summary>
    public long DownloadRate { get; init; }

    /// <summary>Payload upload rate to the peer, bytes per second.</summary>
    public long UploadRate { get; init; }

    /// <summary>Payload bytes received from the peer.</summary>
    public long TotalDownload { get; init; }

    /// <summary>Payload bytes sent to the peer.</summary>
    public long TotalUpload { get; init; }

    /// <summary>Blocks we have requested and not yet received.</summary>
    public int PendingRequests { get; init; }

    /// <summary>Blocks the peer has requested from us and not yet received.</summary>
    public int PeerPendingRequests { get; init; }

    /// <summary>Failed pieces blamed on this peer on this connection: ones it alone sent, or where smart ban proved its blocks wrong (shared failures do not count).</summary>
    public int HashFailures { get; init; }

    /// <summary>How the peer was found: "tracker", "dht", "pex", "lsd", "manual", "incoming", "resume".</summary>
    public string Source { get; init; } = "manual";

    /// <summary>The peer's country, empty unless the app plugs in a lookup.</summary>
    public string Country { get; init; } = string.Empty;

    /// <summary>True when the peer supports the extension protocol (BEP 10).</summary>
    public bool SupportsExtensions { get; init; }

    /// <summary>True when the peer supports the fast extension (BEP 6).</summary>
    public bool SupportsFastExtension { get; init; }

    /// <summary>When the connection was made.</summary>
    public DateTimeOffset ConnectedAt { get; init; }

    /// <summary>Number of pieces the peer has.</summary>
    public int PiecesDownloaded { get; init; }

    /// <summary>Time since we last sent the peer a request, or null when we never did.</summary>
    public TimeSpan? LastRequest { get; init; }

    /// <summary>Time since the peer last sent anything.</summary>
    public TimeSpan LastActive { get; init; }

    /// <summary>How the peer is connected: "bittorrent/tcp", "bittorrent/utp", or "web_seed" for a web seed (BEP 19).</summary>
    public string ConnectionType => WebSeedUrl is not null ? "web_seed" : Transport == PeerTransport.Utp ? "bittorrent/utp" : "bittorrent/tcp";

    /// <summary>The web seed's URL when this entry is a web seed (BEP 19); null for a BitTorrent peer.</summary>
    public string? WebSeedUrl { get; init; }

    /// <summary>For a web seed, the HTTP status of its last failed reply (0 when none, or when it failed without a reply).</summary>
    public int WebSeedHttpStatus { get; init; }

    /// <summary>For a web seed, why its last request failed; null while it works.</summary>
    public string? WebSeedError { get; init; }

    /// <summary>The transport carrying the connection: TCP or uTP (BEP 29).</summary>
    public PeerTransport Transport { get; init; }

    /// <summary>Whether the connection began with an MSE handshake and what it carries since (plain messages or RC4).</summary>
    public PeerEncryption Encryption { get; init; }
}
