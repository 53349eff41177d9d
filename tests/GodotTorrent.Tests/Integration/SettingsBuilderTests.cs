using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Integration;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Integration;

public class SettingsBuilderTests
{
    [Fact]
    public void Every_key_is_applied()
    {
        var values = new Dictionary<string, object?>
        {
            ["listen_addresses"] = new List<object?> { "127.0.0.1", "::1" },
            ["listen_interfaces"] = new List<object?> { "eth0:6881", "[::1]" },
            ["outgoing_interfaces"] = new[] { "tun0" },
            ["listen_port"] = 7000L,
            ["listen_port_range"] = 3L,
            ["enable_ipv6"] = false,
            ["max_connections"] = 50L,
            ["max_connections_per_torrent"] = 20L,
            ["max_half_open_connections"] = 8L,
            ["max_connections_per_address"] = 3L,
            ["max_pending_incoming"] = 40L,
            ["upload_slots_per_torrent"] = 6L,
            ["upload_rate_limit"] = 100000L,
            ["download_rate_limit"] = 2000000.0,
            ["seed_choking_algorithm"] = "round_robin",
            ["peer_id_prefix"] = "-GD0001-",
            ["user_agent"] = "MyGame/1.0",
            ["alert_mask"] = (long)(AlertCategory.Error | AlertCategory.Status),
            ["alert_queue_capacity"] = 200L,
            ["connect_timeout"] = 2.5,
            ["peer_inactivity_timeout"] = 60L,
            ["request_timeout"] = 10.0,
            ["handshake_timeout"] = 3L,
            ["peer_silence_timeout"] = 20.0,
            ["peer_useless_timeout"] = 90L,
            ["disk_buffer_budget"] = 8L * 1024 * 1024,
            ["allow_multiple_connections_per_ip"] = false,
            ["max_hash_failures_per_peer"] = 2L,
            ["max_protocol_strikes_per_peer"] = 4L,
            ["active_downloads"] = 4L,
            ["active_seeds"] = 6L,
            ["active_limit"] = 12L,
            ["dont_count_slow_torrents"] = false,
            ["slow_torrent_download_rate"] = 1000L,
            ["slow_torrent_upload_rate"] = 3000.0,
            ["share_ratio_limit"] = 150L,
            ["seed_time_limit"] = 3600L,
            ["resume_data_interval"] = 90L,
            ["in_enc_policy"] = "enabled",
            ["out_enc_policy"] = "forced",
            ["allowed_enc_level"] = "rc4",
            ["prefer_rc4"] = true,
            ["enable_incoming_tcp"] = false,
            ["enable_outgoing_tcp"] = true,
            ["enable_incoming_utp"] = true,
            ["enable_outgoing_utp"] = false,
            ["utp_target_delay"] = 0.05,
            ["enable_dht"] = true,
            ["dht_bootstrap_nodes"] = new[] { "dht.mygame.example:6881", "10.0.0.2:6881", "[fd00::2]:6881" },
            ["dht_read_only"] = true,
            ["dht_upload_rate_limit"] = 16000L,
            ["dht_enforce_node_id"] = true,
            ["dht_alpha"] = 4L,
            ["dht_announce_interval"] = 600L,
            ["dht_follow_interval"] = 30L,
            ["enable_lsd"] = false,
            ["enable_upnp"] = false,
            ["enable_natpmp"] = false,
            ["enable_web_seeds"] = false,
            ["web_seed_connections_per_server"] = 8L,
            ["web_seed_request_timeout"] = 45.0,
            ["stream_read_ahead"] = 8L << 20,
        };
        Assert.Equal(SettingsBuilder.Keys.Order(), values.Keys.Order());

        var s = SettingsBuilder.Build(values);
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], s.ListenAddresses);
        Assert.Equal((7000, 3, false), (s.ListenPort, s.ListenPortRange, s.EnableIPv6));
        Assert.Equal((50, 20, 8, 6), (s.MaxConnections, s.MaxConnectionsPerTorrent, s.MaxHalfOpenConnections, s.UploadSlotsPerTorrent));
        Assert.Equal((100000L, 2000000L), (s.UploadRateLimit, s.DownloadRateLimit));
        Assert.Equal(SeedChokingAlgorithm.RoundRobin, s.SeedChokingAlgorithm);
        Assert.Equal(("-GD0001-", "MyGame/1.0"), (s.PeerIdPrefix, s.UserAgent));
        Assert.Equal((AlertCategory.Error | AlertCategory.Status, 200), (s.AlertMask, s.AlertQueueCapacity));
        Assert.Equal((TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10)), (s.ConnectTimeout, s.PeerInactivityTimeout, s.RequestTimeout));
        Assert.Equal((3, 40), (s.MaxConnectionsPerAddress, s.MaxPendingIncoming));
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(90)), (s.HandshakeTimeout, s.PeerSilenceTimeout, s.PeerUselessTimeout));
        Assert.Equal((8L * 1024 * 1024, false, 2, 4), (s.DiskBufferBudget, s.AllowMultipleConnectionsPerIp, s.MaxHashFailuresPerPeer, s.MaxProtocolStrikesPerPeer));
        Assert.Equal((4, 6, 12, false), (s.ActiveDownloads, s.ActiveSeeds, s.ActiveLimit, s.DontCountSlowTorrents));
        Assert.Equal((1000L, 3000L, TimeSpan.FromSeconds(90)), (s.SlowTorrentDownloadRate, s.SlowTorrentUploadRate, s.ResumeDataInterval));
        Assert.Equal((EncryptionPolicy.Enabled, EncryptionPolicy.Forced, EncryptionLevel.Rc4, true), (s.IncomingEncryption, s.OutgoingEncryption, s.AllowedEncryptionLevel, s.PreferRc4));
        Assert.Equal((true, false, false, false), (s.EnableDht, s.EnableLsd, s.EnableUpnp, s.EnableNatPmp));
        Assert.Equal((true, 16000, true, 4, TimeSpan.FromMinutes(10)), (s.DhtReadOnly, s.DhtUploadRateLimit, s.DhtEnforceNodeId, s.DhtAlpha, s.DhtAnnounceInterval));
        Assert.Equal(TimeSpan.FromSeconds(30), s.DhtFollowInterval);
        Assert.Equal((false, true, true, false, TimeSpan.FromMilliseconds(50)), (s.EnableIncomingTcp, s.EnableOutgoingTcp, s.EnableIncomingUtp, s.EnableOutgoingUtp, s.UtpTargetDelay));
        Assert.Equal(["dht.mygame.example:6881", "10.0.0.2:6881", "[fd00::2]:6881"], s.DhtBootstrapNodes);
        Assert.Equal((false, 8, TimeSpan.FromSeconds(45)), (s.EnableWebSeeds, s.WebSeedConnectionsPerServer, s.WebSeedRequestTimeout));
        Assert.Equal(8L << 20, s.StreamReadAhead);
        Assert.Equal(["eth0:6881", "[::1]"], s.ListenInterfaces);
        Assert.Equal(["tun0"], s.OutgoingInterfaces);
        Assert.Equal((150, TimeSpan.FromHours(1)), (s.ShareRatioLimit, s.SeedTimeLimit));
    }

    [Fact]
    public void An_empty_dictionary_gives_the_defaults_and_a_baseline_is_kept()
    {
        Assert.Equal(SessionSettings.Default, SettingsBuilder.Build(new Dictionary<string, object?>()));
        var baseline = SessionSettings.Default with { ListenPort = 0, MaxConnections = 7 };
        var s = SettingsBuilder.Build(new Dictionary<string, object?> { ["enable_dht"] = false }, baseline);
        Assert.Equal((0, false, 7), (s.ListenPort, s.EnableDht, s.MaxConnections));
    }

    [Fact]
    public void Local_service_discovery_can_be_switched_on()
    {
        var s = SettingsBuilder.Build(new Dictionary<string, object?> { ["enable_lsd"] = true });
        Assert.True(s.EnableLsd);
    }

    [Fact]
    public void An_unknown_key_is_refused_and_the_known_ones_are_listed()
    {
        var e = Assert.Throws<TorrentException>(() => SettingsBuilder.Build(new Dictionary<string, object?> { ["listen_prot"] = 6881L }));
        Assert.Equal(ErrorCode.InvalidArgument, e.ErrorCode);
        Assert.Contains("Unknown setting 'listen_prot'", e.Message, StringComparison.Ordinal);
        Assert.Contains("listen_port", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("listen_port", "6881", "expected an integer, got the string \"6881\"")]
    [InlineData("listen_port", 6881.5, "expected an integer")]
    [InlineData("listen_port", true, "expected an integer, got true")]
    [InlineData("listen_port", null, "expected an integer, got null")]
    [InlineData("listen_port", 5e10, "out of range")]
    [InlineData("enable_dht", 1L, "expected true or false")]
    [InlineData("user_agent", 3L, "expected a string")]
    [InlineData("dht_bootstrap_nodes", "router:6881", "expected a list of strings")]
    [InlineData("connect_timeout", 0L, "must be positive")]
    [InlineData("connect_timeout", "5s", "expected a number of seconds")]
    [InlineData("seed_choking_algorithm", "fastest", "is not one of FastestUpload, RoundRobin")]
    [InlineData("seed_choking_algorithm", "1", "is not one of")]
    [InlineData("seed_choking_algorithm", "", "is not one of")]
    public void A_value_of_the_wrong_type_is_refused_naming_the_key(string key, object? value, string expected)
    {
        var e = Assert.Throws<TorrentException>(() => SettingsBuilder.Build(new Dictionary<string, object?> { [key] = value }));
        Assert.Equal(ErrorCode.InvalidArgument, e.ErrorCode);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("listen_port", 70000L, "ListenPort")]
    [InlineData("max_connections", 0L, "MaxConnections")]
    [InlineData("upload_rate_limit", -1L, "UploadRateLimit")]
    [InlineData("peer_id_prefix", "short", "PeerIdPrefix")]
    public void A_value_of_the_right_type_but_out_of_range_fails_validation(string key, object value, string setting)
    {
        var e = Assert.Throws<TorrentException>(() => SettingsBuilder.Build(new Dictionary<string, object?> { [key] = value }));
        Assert.Contains($"Invalid setting {setting}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("router")]
    [InlineData("router:0")]
    [InlineData("router:70000")]
    [InlineData(":6881")]
    [InlineData("a b:6881")]
    [InlineData("fd00::2:6881")]
    [InlineData("[nothost]:6881")]
    public void Bad_bootstrap_nodes_are_refused(string node)
    {
        var e = Assert.Throws<TorrentException>(() => SettingsBuilder.Build(new Dictionary<string, object?> { ["dht_bootstrap_nodes"] = new List<object?> { node } }));
        Assert.Contains("DhtBootstrapNodes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_holding_a_non_string_is_refused()
    {
        var e = Assert.Throws<TorrentException>(() => SettingsBuilder.Build(new Dictionary<string, object?> { ["listen_addresses"] = new List<object?> { "127.0.0.1", 5L } }));
        Assert.Contains("expected a list of strings, got 5 (Int64)", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<TorrentException>(() => SettingsBuilder.Build(new Dictionary<string, object?> { ["listen_addresses"] = new List<object?> { "localhost" } }));
        Assert.Contains("'localhost' is not an IP address", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_config_is_read_with_the_same_rules()
    {
        var s = SettingsBuilder.BuildFromJson("""{"listen_port": 0, "download_rate_limit": 1048576.0, "enable_dht": false, "dht_bootstrap_nodes": [], "connect_timeout": 3}""");
        Assert.Equal((0, 1048576L, false, TimeSpan.FromSeconds(3)), (s.ListenPort, s.DownloadRateLimit, s.EnableDht, s.ConnectTimeout));
        Assert.Empty(s.DhtBootstrapNodes);

        Assert.Contains("Unknown setting 'port'", Assert.Throws<TorrentException>(() => SettingsBuilder.BuildFromJson("""{"port": 1}""")).Message, StringComparison.Ordinal);
        Assert.Contains("must be an object", Assert.Throws<TorrentException>(() => SettingsBuilder.BuildFromJson("[1]")).Message, StringComparison.Ordinal);
        Assert.Contains("malformed", Assert.Throws<TorrentException>(() => SettingsBuilder.BuildFromJson("{\"listen_port\": ")).Message, StringComparison.Ordinal);
    }
}
