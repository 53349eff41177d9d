using System.Globalization;
using System.Net;
using System.Numerics;
using GodotTorrent.Alerts;

namespace GodotTorrent.Session.Settings;

/// <summary>
/// Every <see cref="SessionSettings"/> property, once, in validation order. A new setting is one
/// line here; validation, saved state and the Godot dictionary pick it up from this table.
/// </summary>
internal static class SessionSettingsSchema
{
    public static IReadOnlyList<SettingDescriptor> All { get; } =
    [
        Of(nameof(SessionSettings.ListenAddresses), SettingKind.Addresses, "listen_addresses", s => s.ListenAddresses, (s, v) => s with { ListenAddresses = v },
            (_, v) => v is null ? "must not be null" : v.Any(a => a is null) ? "must not contain null" : null),
        Of(nameof(SessionSettings.ListenInterfaces), SettingKind.Strings, "listen_interfaces", s => s.ListenInterfaces, (s, v) => s with { ListenInterfaces = v },
            (_, v) => Net.ListenEntry.Check(v, allowPort: true)),
        Of(nameof(SessionSettings.OutgoingInterfaces), SettingKind.Strings, "outgoing_interfaces", s => s.OutgoingInterfaces, (s, v) => s with { OutgoingInterfaces = v },
            (_, v) => Net.ListenEntry.Check(v, allowPort: false)),
        Of(nameof(SessionSettings.ListenPort), SettingKind.Int32, "listen_port", s => s.ListenPort, (s, v) => s with { ListenPort = v },
            (_, v) => v is >= 0 and <= 65535 ? null : "must be 0 to 65535"),
        Of(nameof(SessionSettings.ListenPortRange), SettingKind.Int32, "listen_port_range", s => s.ListenPortRange, (s, v) => s with { ListenPortRange = v },
            (s, v) => v >= 1 && (long)s.ListenPort + v - 1 <= 65535 ? null : "must be at least 1 and stay below port 65536"),
        Of(nameof(SessionSettings.EnableIPv6), SettingKind.Bool, "enable_ipv6", s => s.EnableIPv6, (s, v) => s with { EnableIPv6 = v }),
        Of(nameof(SessionSettings.MaxConnections), SettingKind.Int32, "max_connections", s => s.MaxConnections, (s, v) => s with { MaxConnections = v }, Min(1, "must be at least 1")),
        Of(nameof(SessionSettings.MaxConnectionsPerTorrent), SettingKind.Int32, "max_connections_per_torrent", s => s.MaxConnectionsPerTorrent, (s, v) => s with { MaxConnectionsPerTorrent = v }, Min(1, "must be at least 1")),
        Of(nameof(SessionSettings.MaxHalfOpenConnections), SettingKind.Int32, "max_half_open_connections", s => s.MaxHalfOpenConnections, (s, v) => s with { MaxHalfOpenConnections = v }, Min(1, "must be at least 1")),
        Of(nameof(SessionSettings.MaxConnectionsPerAddress), SettingKind.Int32, "max_connections_per_address", s => s.MaxConnectionsPerAddress, (s, v) => s with { MaxConnectionsPerAddress = v }, Min(1, "must be at least 1")),
        Of(nameof(SessionSettings.MaxPendingIncoming), SettingKind.Int32, "max_pending_incoming", s => s.MaxPendingIncoming, (s, v) => s with { MaxPendingIncoming = v }, Min(1, "must be at least 1")),
        Of(nameof(SessionSettings.UploadSlotsPerTorrent), SettingKind.Int32, "upload_slots_per_torrent", s => s.UploadSlotsPerTorrent, (s, v) => s with { UploadSlotsPerTorrent = v }, Min(1, "must be at least 1")),
        Of(nameof(SessionSettings.UploadRateLimit), SettingKind.Int64, "upload_rate_limit", s => s.UploadRateLimit, (s, v) => s with { UploadRateLimit = v }, Min(0L, "must be 0 (unlimited) or positive")),
        Of(nameof(SessionSettings.DownloadRateLimit), SettingKind.Int64, "download_rate_limit", s => s.DownloadRateLimit, (s, v) => s with { DownloadRateLimit = v }, Min(0L, "must be 0 (unlimited) or positive")),
        Of(nameof(SessionSettings.SeedChokingAlgorithm), SettingKind.Choice, "seed_choking_algorithm", s => s.SeedChokingAlgorithm, (s, v) => s with { SeedChokingAlgorithm = v },
            (_, v) => Enum.IsDefined(v) ? null : "is not a known algorithm"),
        Of(nameof(SessionSettings.PeerIdPrefix), SettingKind.Text, "peer_id_prefix", s => s.PeerIdPrefix, (s, v) => s with { PeerIdPrefix = v },
            (_, v) => v is { Length: 8 } && v.All(c => c is >= ' ' and <= '~') ? null : "must be 8 printable ASCII characters"),
        Of(nameof(SessionSettings.UserAgent), SettingKind.Text, "user_agent", s => s.UserAgent, (s, v) => s with { UserAgent = v },
            // An HTTP header to trackers and web seeds: a line break would add headers, and .NET refuses non-ASCII values.
            (_, v) => string.IsNullOrWhiteSpace(v) ? "must not be empty" : v.All(c => c is >= ' ' and <= '~') ? null : "must be printable ASCII (it is an HTTP header)"),
        Of(nameof(SessionSettings.AlertMask), SettingKind.Flags, "alert_mask", s => s.AlertMask, (s, v) => s with { AlertMask = v },
            (_, v) => (v & ~AlertCategory.All) == 0 ? null : "has unknown category bits"),
        Of(nameof(SessionSettings.AlertQueueCapacity), SettingKind.Int32, "alert_queue_capacity", s => s.AlertQueueCapacity, (s, v) => s with { AlertQueueCapacity = v }, Min(1, "must be at least 1")),
        Of(nameof(SessionSettings.ConnectTimeout), SettingKind.Duration, "connect_timeout", s => s.ConnectTimeout, (s, v) => s with { ConnectTimeout = v }, (_, v) => v > TimeSpan.Zero ? null : "must be positive"),
        Of(nameof(SessionSettings.PeerInactivityTimeout), SettingKind.Duration, "peer_inactivity_timeout", s => s.PeerInactivityTimeout, (s, v) => s with { PeerInactivityTimeout = v }, (_, v) => v > TimeSpan.Zero ? null : "must be positive"),
        Of(nameof(SessionSettings.HandshakeTimeout), SettingKind.Duration, "handshake_timeout", s => s.HandshakeTimeout, (s, v) => s with { HandshakeTimeout = v }, (_, v) => v > TimeSpan.Zero ? null : "must be positive"),
        Of(nameof(SessionSettings.PeerSilenceTimeout), SettingKind.Duration, "peer_silence_timeout", s => s.PeerSilenceTimeout, (s, v) => s with { PeerSilenceTimeout = v }, (_, v) => v > TimeSpan.Zero ? null : "must be positive"),
        Of(nameof(SessionSettings.PeerUselessTimeout), SettingKind.Duration, "peer_useless_timeout", s => s.PeerUselessTimeout, (s, v) => s with { PeerUselessTimeout = v }, (_, v) => v > TimeSpan.Zero ? null : "must be positive"),
        Of(nameof(SessionSettings.RequestTimeout), SettingKind.Duration, "request_timeout", s => s.RequestTimeout, (s, v) => s with { RequestTimeout = v }, (_, v) => v > TimeSpan.Zero ? null : "must be positive"),
        Of(nameof(SessionSettings.DiskBufferBudget), SettingKind.Int64, "disk_buffer_budget", s => s.DiskBufferBudget, (s, v) => s with { DiskBufferBudget = v },
            Min(1024L * 1024, "must be at least 1 MiB")),
        Of(nameof(SessionSettings.AllowMultipleConnectionsPerIp), SettingKind.Bool, "allow_multiple_connections_per_ip", s => s.AllowMultipleConnectionsPerIp, (s, v) => s with { AllowMultipleConnectionsPerIp = v }),
        Of(nameof(SessionSettings.MaxHashFailuresPerPeer), SettingKind.Int32, "max_hash_failures_per_peer", s => s.MaxHashFailuresPerPeer, (s, v) => s with { MaxHashFailuresPerPeer = v }, Min(1, "must be at least 1")),
        Of(nameof(SessionSettings.MaxProtocolStrikesPerPeer), SettingKind.Int32, "max_protocol_strikes_per_peer", s => s.MaxProtocolStrikesPerPeer, (s, v) => s with { MaxProtocolStrikesPerPeer = v }, Min(1, "must be at least 1")),
        Of(nameof(SessionSettings.ActiveDownloads), SettingKind.Int32, "active_downloads", s => s.ActiveDownloads, (s, v) => s with { ActiveDownloads = v }, Min(0, "must be 0 or more")),
        Of(nameof(SessionSettings.ActiveSeeds), SettingKind.Int32, "active_seeds", s => s.ActiveSeeds, (s, v) => s with { ActiveSeeds = v }, Min(0, "must be 0 or more")),
        Of(nameof(SessionSettings.ActiveLimit), SettingKind.Int32, "active_limit", s => s.ActiveLimit, (s, v) => s with { ActiveLimit = v }, Min(0, "must be 0 or more")),
        Of(nameof(SessionSettings.DontCountSlowTorrents), SettingKind.Bool, "dont_count_slow_torrents", s => s.DontCountSlowTorrents, (s, v) => s with { DontCountSlowTorrents = v }),
        Of(nameof(SessionSettings.SlowTorrentDownloadRate), SettingKind.Int64, "slow_torrent_download_rate", s => s.SlowTorrentDownloadRate, (s, v) => s with { SlowTorrentDownloadRate = v }, Min(0L, "must be 0 or more")),
        Of(nameof(SessionSettings.SlowTorrentUploadRate), SettingKind.Int64, "slow_torrent_upload_rate", s => s.SlowTorrentUploadRate, (s, v) => s with { SlowTorrentUploadRate = v }, Min(0L, "must be 0 or more")),
        Of(nameof(SessionSettings.ShareRatioLimit), SettingKind.Int32, "share_ratio_limit", s => s.ShareRatioLimit, (s, v) => s with { ShareRatioLimit = v }),
        Of(nameof(SessionSettings.SeedTimeLimit), SettingKind.Duration, "seed_time_limit", s => s.SeedTimeLimit, (s, v) => s with { SeedTimeLimit = v }),
        Of(nameof(SessionSettings.ResumeDataInterval), SettingKind.Duration, "resume_data_interval", s => s.ResumeDataInterval, (s, v) => s with { ResumeDataInterval = v }, (_, v) => v > TimeSpan.Zero ? null : "must be positive"),
        Of(nameof(SessionSettings.EnableWebSeeds), SettingKind.Bool, "enable_web_seeds", s => s.EnableWebSeeds, (s, v) => s with { EnableWebSeeds = v }),
        Of(nameof(SessionSettings.WebSeedConnectionsPerServer), SettingKind.Int32, "web_seed_connections_per_server", s => s.WebSeedConnectionsPerServer, (s, v) => s with { WebSeedConnectionsPerServer = v },
            (_, v) => v is >= 1 and <= 64 ? null : "must be 1 to 64"),
        Of(nameof(SessionSettings.WebSeedRequestTimeout), SettingKind.Duration, "web_seed_request_timeout", s => s.WebSeedRequestTimeout, (s, v) => s with { WebSeedRequestTimeout = v }, (_, v) => v > TimeSpan.Zero ? null : "must be positive"),
        Of(nameof(SessionSettings.StreamReadAhead), SettingKind.Int64, "stream_read_ahead", s => s.StreamReadAhead, (s, v) => s with { StreamReadAhead = v },
            (_, v) => v is >= 0 and <= 1L << 30 ? null : "must be 0 to 1 GiB"),
        Of(nameof(SessionSettings.IpFilter), SettingKind.IpFilter, null, s => s.IpFilter, (s, v) => s with { IpFilter = v },
            (_, v) => v is null ? "must not be null" : null, persisted: false),

        Of(nameof(SessionSettings.IncomingEncryption), SettingKind.Choice, "in_enc_policy", s => s.IncomingEncryption, (s, v) => s with { IncomingEncryption = v },
            (_, v) => Enum.IsDefined(v) ? null : "is not a known policy"),
        Of(nameof(SessionSettings.OutgoingEncryption), SettingKind.Choice, "out_enc_policy", s => s.OutgoingEncryption, (s, v) => s with { OutgoingEncryption = v },
            (_, v) => Enum.IsDefined(v) ? null : "is not a known policy"),
        Of(nameof(SessionSettings.AllowedEncryptionLevel), SettingKind.Choice, "allowed_enc_level", s => s.AllowedEncryptionLevel, (s, v) => s with { AllowedEncryptionLevel = v },
            (_, v) => Enum.IsDefined(v) ? null : "must be plaintext, rc4 or both"),
        Of(nameof(SessionSettings.PreferRc4), SettingKind.Bool, "prefer_rc4", s => s.PreferRc4, (s, v) => s with { PreferRc4 = v }),

        Of(nameof(SessionSettings.EnableIncomingTcp), SettingKind.Bool, "enable_incoming_tcp", s => s.EnableIncomingTcp, (s, v) => s with { EnableIncomingTcp = v }),
        Of(nameof(SessionSettings.EnableOutgoingTcp), SettingKind.Bool, "enable_outgoing_tcp", s => s.EnableOutgoingTcp, (s, v) => s with { EnableOutgoingTcp = v }),
        Of(nameof(SessionSettings.EnableIncomingUtp), SettingKind.Bool, "enable_incoming_utp", s => s.EnableIncomingUtp, (s, v) => s with { EnableIncomingUtp = v }),
        Of(nameof(SessionSettings.EnableOutgoingUtp), SettingKind.Bool, "enable_outgoing_utp", s => s.EnableOutgoingUtp, (s, v) => s with { EnableOutgoingUtp = v }),
        Of(nameof(SessionSettings.UtpTargetDelay), SettingKind.Duration, "utp_target_delay", s => s.UtpTargetDelay, (s, v) => s with { UtpTargetDelay = v },
            (_, v) => v >= TimeSpan.FromMilliseconds(5) && v <= TimeSpan.FromSeconds(1) ? null : "must be between 5 ms and 1 s"),

        Of(nameof(SessionSettings.EnableDht), SettingKind.Bool, "enable_dht", s => s.EnableDht, (s, v) => s with { EnableDht = v }),
        Of(nameof(SessionSettings.DhtBootstrapNodes), SettingKind.Strings, "dht_bootstrap_nodes", s => s.DhtBootstrapNodes, (s, v) => s with { DhtBootstrapNodes = v }, (_, v) => BootstrapNodes(v)),
        Of(nameof(SessionSettings.DhtReadOnly), SettingKind.Bool, "dht_read_only", s => s.DhtReadOnly, (s, v) => s with { DhtReadOnly = v }),
        Of(nameof(SessionSettings.DhtUploadRateLimit), SettingKind.Int32, "dht_upload_rate_limit", s => s.DhtUploadRateLimit, (s, v) => s with { DhtUploadRateLimit = v }, Min(0, "must be 0 (unlimited) or positive")),
        Of(nameof(SessionSettings.DhtEnforceNodeId), SettingKind.Bool, "dht_enforce_node_id", s => s.DhtEnforceNodeId, (s, v) => s with { DhtEnforceNodeId = v }),
        Of(nameof(SessionSettings.DhtAlpha), SettingKind.Int32, "dht_alpha", s => s.DhtAlpha, (s, v) => s with { DhtAlpha = v }, (_, v) => v is >= 3 and <= 5 ? null : "must be 3 to 5"),
        Of(nameof(SessionSettings.DhtAnnounceInterval), SettingKind.Duration, "dht_announce_interval", s => s.DhtAnnounceInterval, (s, v) => s with { DhtAnnounceInterval = v },
            (_, v) => v >= TimeSpan.FromMinutes(1) && v <= TimeSpan.FromHours(1) ? null : "must be between 1 minute and 1 hour"),
        Of(nameof(SessionSettings.DhtFollowInterval), SettingKind.Duration, "dht_follow_interval", s => s.DhtFollowInterval, (s, v) => s with { DhtFollowInterval = v },
            (_, v) => v >= TimeSpan.FromSeconds(5) && v <= TimeSpan.FromDays(1) ? null : "must be between 5 seconds and 1 day"),

        Of(nameof(SessionSettings.EnableLsd), SettingKind.Bool, "enable_lsd", s => s.EnableLsd, (s, v) => s with { EnableLsd = v }),
        Of(nameof(SessionSettings.EnableUpnp), SettingKind.Bool, "enable_upnp", s => s.EnableUpnp, (s, v) => s with { EnableUpnp = v }),
        Of(nameof(SessionSettings.EnableNatPmp), SettingKind.Bool, "enable_natpmp", s => s.EnableNatPmp, (s, v) => s with { EnableNatPmp = v }),
    ];

    /// <summary>
    /// Throws <see cref="TorrentException"/> with <see cref="ErrorCode.InvalidArgument"/> naming
    /// the first setting (in table order) that breaks its rule.
    /// </summary>
    public static void Validate(SessionSettings settings)
    {
        foreach (var setting in All)
        {
            if (setting.Check(settings) is { } rule)
            {
                throw new TorrentException(ErrorCode.InvalidArgument, $"Invalid setting {setting.Name}: it {rule}.");
            }
        }
    }

    private static SettingDescriptor Of<T>(string name, SettingKind kind, string? key, Func<SessionSettings, T> get, Func<SessionSettings, T, SessionSettings> with, Func<SessionSettings, T, string?>? check = null, bool persisted = true) =>
        new(name, kind, typeof(T), key, persisted && key is not null, s => get(s), (s, v) => with(s, (T)v!), check is null ? _ => null : s => check(s, get(s)));

    private static Func<SessionSettings, T, string?> Min<T>(T min, string rule)
        where T : INumber<T> => (_, v) => v >= min ? null : rule;

    private static string? BootstrapNodes(IReadOnlyList<string> nodes)
    {
        if (nodes is null)
        {
            return "must not be null";
        }

        foreach (var node in nodes)
        {
            if (!IsHostAndPort(node))
            {
                return $"must hold host:port entries ('{node}' is not one)";
            }
        }

        return null;
    }

    private static bool IsHostAndPort(string? node)
    {
        if (string.IsNullOrWhiteSpace(node) || node.Any(char.IsWhiteSpace))
        {
            return false;
        }

        int colon = node.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(node.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            return false;
        }

        var host = node[..colon];
        if (host.StartsWith('['))
        {
            return host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }

        return !host.Contains(':', StringComparison.Ordinal) && Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }
}
