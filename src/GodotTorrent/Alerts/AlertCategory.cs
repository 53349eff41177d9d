namespace GodotTorrent.Alerts;

/// <summary>
/// Groups of alerts a session posts; the session's alert mask selects which are queued
/// (the seed's <c>enable_*_alerts</c> switches map onto these flags).
/// </summary>
[Flags]
public enum AlertCategory
{
    /// <summary>No alerts.</summary>
    None = 0,
    /// <summary>Something failed: torrent, file, tracker, peer or listen errors.</summary>
    Error = 1 << 0,
    /// <summary>Peer-level events: bans, protocol violations, snubbing.</summary>
    Peer = 1 << 1,
    /// <summary>UPnP and NAT-PMP port mapping.</summary>
    PortMapping = 1 << 2,
    /// <summary>Storage events: files renamed, moved, deleted, resume data saved.</summary>
    Storage = 1 << 3,
    /// <summary>Tracker announces, replies, warnings.</summary>
    Tracker = 1 << 4,
    /// <summary>Peers connecting and disconnecting.</summary>
    Connect = 1 << 5,
    /// <summary>Torrent state changes: added, paused, resumed, finished, state updates.</summary>
    Status = 1 << 6,
    /// <summary>Connections refused by the IP filter.</summary>
    IpBlock = 1 << 7,
    /// <summary>Something limits performance: queues full, rate limits, disk too slow.</summary>
    PerformanceWarning = 1 << 8,
    /// <summary>DHT events.</summary>
    Dht = 1 << 9,
    /// <summary>Periodic session statistics.</summary>
    Stats = 1 << 10,
    /// <summary>Each piece completed.</summary>
    PieceProgress = 1 << 11,
    /// <summary>Each file completed.</summary>
    FileProgress = 1 << 12,
    /// <summary>Each block received or sent (many alerts: off by default).</summary>
    BlockProgress = 1 << 13,
    /// <summary>Every category.</summary>
    All = (1 << 14) - 1,
    /// <summary>What a session enables unless told otherwise.</summary>
    Default = Error | Peer | Storage | Tracker | Status | IpBlock | PerformanceWarning | Dht | FileProgress,
}
