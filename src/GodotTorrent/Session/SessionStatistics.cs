using System.Globalization;

namespace GodotTorrent.Session;

/// <summary>
/// Session-wide counters at one moment, all real (the original API's <c>get_session_stats()</c>
/// returned an empty dictionary). Byte counters cover this session's lifetime.
/// </summary>
public sealed record SessionStatistics
{
    /// <summary>When the snapshot was taken.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>How long the session has been running.</summary>
    public TimeSpan Uptime { get; init; }

    /// <summary>Piece data received.</summary>
    public long PayloadBytesDownloaded { get; init; }

    /// <summary>Piece data sent.</summary>
    public long PayloadBytesUploaded { get; init; }

    /// <summary>Every byte received from peers, protocol overhead included.</summary>
    public long BytesDownloaded { get; init; }

    /// <summary>Every byte sent to peers, protocol overhead included.</summary>
    public long BytesUploaded { get; init; }

    /// <summary>Piece data received per second (last 5 s).</summary>
    public long DownloadRate { get; init; }

    /// <summary>Piece data sent per second (last 5 s).</summary>
    public long UploadRate { get; init; }

    /// <summary>Peer connections open now.</summary>
    public int PeersConnected { get; init; }

    /// <summary>Outgoing connection attempts in progress.</summary>
    public int HalfOpenConnections { get; init; }

    /// <summary>Connections we made that completed the handshake.</summary>
    public long OutgoingConnections { get; init; }

    /// <summary>Connections peers made to us that completed the handshake.</summary>
    public long IncomingConnections { get; init; }

    /// <summary>Outgoing connection attempts that failed.</summary>
    public long ConnectFailures { get; init; }

    /// <summary>Peers disconnected for breaking the protocol.</summary>
    public long ProtocolErrors { get; init; }

    /// <summary>Peers banned for sending bad data.</summary>
    public long PeersBanned { get; init; }

    /// <summary>Connections closed to make room for a newcomer at a connection limit, or dropped for holding a slot while silent or useless.</summary>
    public long PeersEvicted { get; init; }

    /// <summary>Connections (either direction) that completed an MSE handshake, since the session started.</summary>
    public long EncryptedConnections { get; init; }

    /// <summary>Connections (either direction) carried by uTP, since the session started.</summary>
    public long UtpConnections { get; init; }

    /// <summary>uTP datagrams refused at the socket since the session started: malformed, for unknown connections, or SYNs turned away.</summary>
    public long UtpDatagramsDropped { get; init; }

    /// <summary>Peer addresses known across torrents.</summary>
    public int KnownPeers { get; init; }

    /// <summary>Torrents in the session.</summary>
    public int Torrents { get; init; }

    /// <summary>Torrents checking files or resume data.</summary>
    public int TorrentsChecking { get; init; }

    /// <summary>Torrents fetching metadata or downloading.</summary>
    public int TorrentsDownloading { get; init; }

    /// <summary>Torrents with every wanted piece (some files skipped).</summary>
    public int TorrentsFinished { get; init; }

    /// <summary>Torrents with every piece.</summary>
    public int TorrentsSeeding { get; init; }

    /// <summary>Torrents paused by the app.</summary>
    public int TorrentsPaused { get; init; }

    /// <summary>Torrents stopped by an error.</summary>
    public int TorrentsError { get; init; }

    /// <summary>Auto-managed torrents waiting for a queue slot.</summary>
    public int TorrentsQueued { get; init; }

    /// <summary>Bytes read from disk (uploads and checks).</summary>
    public long DiskBytesRead { get; init; }

    /// <summary>Bytes written to disk.</summary>
    public long DiskBytesWritten { get; init; }

    /// <summary>Received blocks held in memory waiting for the disk.</summary>
    public long DiskQueueBytes { get; init; }

    /// <summary>Pieces that passed their hash check.</summary>
    public long PiecesVerified { get; init; }

    /// <summary>Pieces that failed their hash check.</summary>
    public long HashFailures { get; init; }

    /// <summary>Bytes received twice or not asked for.</summary>
    public long RedundantBytes { get; init; }

    /// <summary>Payload bytes received from web seeds (BEP 19), part of <see cref="PayloadBytesDownloaded"/>.</summary>
    public long WebSeedBytesDownloaded { get; init; }

    /// <summary>Bytes of pieces that failed their hash check.</summary>
    public long FailedBytes { get; init; }

    /// <summary>Alerts dropped because the queue was full.</summary>
    public long AlertsDropped { get; init; }

    /// <summary>Nodes in the DHT's routing tables (IPv4 and IPv6); 0 while the DHT is off.</summary>
    public int DhtNodes { get; init; }

    /// <summary>DHT lookups started since the DHT was switched on.</summary>
    public long DhtLookups { get; init; }

    /// <summary>Bytes the DHT received (KRPC datagrams) since it was switched on.</summary>
    public long DhtBytesIn { get; init; }

    /// <summary>Bytes the DHT sent since it was switched on.</summary>
    public long DhtBytesOut { get; init; }

    /// <summary>Every counter by its snake_case name, for GDScript and logs.</summary>
    public IReadOnlyDictionary<string, long> ToDictionary() => new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["uptime_seconds"] = (long)Uptime.TotalSeconds,
        ["payload_bytes_downloaded"] = PayloadBytesDownloaded,
        ["payload_bytes_uploaded"] = PayloadBytesUploaded,
        ["bytes_downloaded"] = BytesDownloaded,
        ["bytes_uploaded"] = BytesUploaded,
        ["download_rate"] = DownloadRate,
        ["upload_rate"] = UploadRate,
        ["peers_connected"] = PeersConnected,
        ["half_open_connections"] = HalfOpenConnections,
        ["outgoing_connections"] = OutgoingConnections,
        ["incoming_connections"] = IncomingConnections,
        ["connect_failures"] = ConnectFailures,
        ["protocol_errors"] = ProtocolErrors,
        ["peers_banned"] = PeersBanned,
        ["peers_evicted"] = PeersEvicted,
        ["known_peers"] = KnownPeers,
        ["torrents"] = Torrents,
        ["torrents_checking"] = TorrentsChecking,
        ["torrents_downloading"] = TorrentsDownloading,
        ["torrents_finished"] = TorrentsFinished,
        ["torrents_seeding"] = TorrentsSeeding,
        ["torrents_paused"] = TorrentsPaused,
        ["torrents_error"] = TorrentsError,
        ["torrents_queued"] = TorrentsQueued,
        ["disk_bytes_read"] = DiskBytesRead,
        ["disk_bytes_written"] = DiskBytesWritten,
        ["disk_queue_bytes"] = DiskQueueBytes,
        ["pieces_verified"] = PiecesVerified,
        ["hash_failures"] = HashFailures,
        ["redundant_bytes"] = RedundantBytes,
        ["web_seed_bytes_downloaded"] = WebSeedBytesDownloaded,
        ["failed_bytes"] = FailedBytes,
        ["alerts_dropped"] = AlertsDropped,
        ["dht_nodes"] = DhtNodes,
        ["dht_lookups"] = DhtLookups,
        ["dht_bytes_in"] = DhtBytesIn,
        ["dht_bytes_out"] = DhtBytesOut,
    };

    /// <summary>One line of the main counters.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Torrents} torrents, {PeersConnected} peers, down {PayloadBytesDownloaded} B at {DownloadRate} B/s, up {PayloadBytesUploaded} B at {UploadRate} B/s");
}
