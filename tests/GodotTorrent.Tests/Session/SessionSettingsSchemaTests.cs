using System.Collections;
using System.Net;
using System.Reflection;
using GodotTorrent.Alerts;
using GodotTorrent.Bencoding;
using GodotTorrent.Integration;
using GodotTorrent.Session;
using GodotTorrent.Session.Settings;

namespace GodotTorrent.Tests.Session;

/// <summary>Every setting is described once, and validation, saved state and the Godot dictionary follow that description.</summary>
public class SessionSettingsSchemaTests
{
    // A value other than the default for every setting, by property name. A new setting fails
    // Every_descriptor_has_a_non_default_sample until it gets one here.
    private static readonly Dictionary<string, object> Samples = new(StringComparer.Ordinal)
    {
        [nameof(SessionSettings.ListenAddresses)] = new[] { IPAddress.Loopback, IPAddress.IPv6Loopback },
        [nameof(SessionSettings.ListenInterfaces)] = new[] { "eth0", "eth1:6882", "[::1]:6883" },
        [nameof(SessionSettings.OutgoingInterfaces)] = new[] { "tun0", "10.0.0.5" },
        [nameof(SessionSettings.ListenPort)] = 7000,
        [nameof(SessionSettings.ListenPortRange)] = 3,
        [nameof(SessionSettings.EnableIPv6)] = false,
        [nameof(SessionSettings.MaxConnections)] = 50,
        [nameof(SessionSettings.MaxConnectionsPerTorrent)] = 20,
        [nameof(SessionSettings.MaxHalfOpenConnections)] = 8,
        [nameof(SessionSettings.MaxConnectionsPerAddress)] = 3,
        [nameof(SessionSettings.MaxPendingIncoming)] = 40,
        [nameof(SessionSettings.UploadSlotsPerTorrent)] = 6,
        [nameof(SessionSettings.UploadRateLimit)] = 100_000L,
        [nameof(SessionSettings.DownloadRateLimit)] = 2_000_000L,
        [nameof(SessionSettings.SeedChokingAlgorithm)] = SeedChokingAlgorithm.RoundRobin,
        [nameof(SessionSettings.PeerIdPrefix)] = "-GD0001-",
        [nameof(SessionSettings.UserAgent)] = "MyGame/1.0",
        [nameof(SessionSettings.AlertMask)] = AlertCategory.Error | AlertCategory.Status,
        [nameof(SessionSettings.AlertQueueCapacity)] = 200,
        [nameof(SessionSettings.ConnectTimeout)] = TimeSpan.FromSeconds(2.5),
        [nameof(SessionSettings.PeerInactivityTimeout)] = TimeSpan.FromSeconds(60),
        [nameof(SessionSettings.HandshakeTimeout)] = TimeSpan.FromSeconds(3),
        [nameof(SessionSettings.PeerSilenceTimeout)] = TimeSpan.FromSeconds(20),
        [nameof(SessionSettings.PeerUselessTimeout)] = TimeSpan.FromSeconds(90),
        [nameof(SessionSettings.RequestTimeout)] = TimeSpan.FromSeconds(10),
        [nameof(SessionSettings.DiskBufferBudget)] = 8L * 1024 * 1024,
        [nameof(SessionSettings.AllowMultipleConnectionsPerIp)] = false,
        [nameof(SessionSettings.MaxHashFailuresPerPeer)] = 2,
        [nameof(SessionSettings.MaxProtocolStrikesPerPeer)] = 5,
        [nameof(SessionSettings.ActiveDownloads)] = 7,
        [nameof(SessionSettings.ActiveSeeds)] = 8,
        [nameof(SessionSettings.ActiveLimit)] = 9,
        [nameof(SessionSettings.DontCountSlowTorrents)] = false,
        [nameof(SessionSettings.SlowTorrentDownloadRate)] = 4096L,
        [nameof(SessionSettings.SlowTorrentUploadRate)] = 8192L,
        [nameof(SessionSettings.ShareRatioLimit)] = 150,
        [nameof(SessionSettings.SeedTimeLimit)] = TimeSpan.FromHours(1),
        [nameof(SessionSettings.ResumeDataInterval)] = TimeSpan.FromSeconds(90),
        [nameof(SessionSettings.IpFilter)] = IpFilter.Empty.Add("10.0.0.0/8", blocked: true),
        [nameof(SessionSettings.IncomingEncryption)] = EncryptionPolicy.Forced,
        [nameof(SessionSettings.OutgoingEncryption)] = EncryptionPolicy.Disabled,
        [nameof(SessionSettings.AllowedEncryptionLevel)] = EncryptionLevel.Rc4,
        [nameof(SessionSettings.PreferRc4)] = true,
        [nameof(SessionSettings.EnableIncomingTcp)] = false,
        [nameof(SessionSettings.EnableOutgoingTcp)] = false,
        [nameof(SessionSettings.EnableIncomingUtp)] = false,
        [nameof(SessionSettings.EnableOutgoingUtp)] = false,
        [nameof(SessionSettings.UtpTargetDelay)] = TimeSpan.FromMilliseconds(25),
        [nameof(SessionSettings.EnableDht)] = true,
        [nameof(SessionSettings.DhtBootstrapNodes)] = new[] { "10.0.0.2:6881", "[fd00::2]:6881" },
        [nameof(SessionSettings.DhtReadOnly)] = true,
        [nameof(SessionSettings.DhtUploadRateLimit)] = 20_000,
        [nameof(SessionSettings.DhtEnforceNodeId)] = true,
        [nameof(SessionSettings.DhtAlpha)] = 5,
        [nameof(SessionSettings.DhtAnnounceInterval)] = TimeSpan.FromMinutes(5),
        [nameof(SessionSettings.DhtFollowInterval)] = TimeSpan.FromSeconds(30),
        [nameof(SessionSettings.EnableLsd)] = true,
        [nameof(SessionSettings.EnableUpnp)] = true,
        [nameof(SessionSettings.EnableNatPmp)] = true,
        [nameof(SessionSettings.EnableWebSeeds)] = false,
        [nameof(SessionSettings.WebSeedConnectionsPerServer)] = 2,
        [nameof(SessionSettings.WebSeedRequestTimeout)] = TimeSpan.FromSeconds(12),
        [nameof(SessionSettings.StreamReadAhead)] = 1L << 20,
    };

    private static readonly string[] EncryptionKeys = ["in_enc_policy", "out_enc_policy", "allowed_enc_level", "prefer_rc4"];

    // Keys added with uTP (step 10).
    private static readonly string[] TransportKeys = ["enable_incoming_tcp", "enable_outgoing_tcp", "enable_incoming_utp", "enable_outgoing_utp", "utp_target_delay_ms"];

    // Keys added with the DHT (step 11).
    private static readonly string[] DhtKeys = ["dht_read_only", "dht_upload_rate_limit", "dht_enforce_node_id", "dht_alpha", "dht_announce_interval_ms", "dht_follow_interval_ms"];

    // Keys added with web seeds (step 12).
    private static readonly string[] WebSeedKeys = ["enable_web_seeds", "web_seed_connections_per_server", "web_seed_request_timeout_ms"];

    // Keys added with interface binding (step 13).
    private static readonly string[] InterfaceKeys = ["listen_interfaces", "outgoing_interfaces"];
    // Keys added with seeding goals (step 14).
    private static readonly string[] SeedGoalKeys = ["share_ratio_limit", "seed_time_limit_ms"];

    // Keys added with streaming reads (step 14).
    private static readonly string[] StreamKeys = ["stream_read_ahead"];

    // The settings keys of state files written before the schema existed; they must keep loading.
    private static readonly string[] LegacyStateKeys =
    [
        "listen_addresses", "listen_port", "listen_port_range", "enable_ipv6", "max_connections", "max_connections_per_torrent",
        "max_half_open_connections", "upload_slots_per_torrent", "upload_rate_limit", "download_rate_limit", "seed_choking_algorithm",
        "peer_id_prefix", "user_agent", "alert_mask", "alert_queue_capacity", "connect_timeout_ms", "peer_inactivity_timeout_ms",
        "request_timeout_ms", "disk_buffer_budget", "allow_multiple_connections_per_ip", "max_hash_failures_per_peer", "active_downloads",
        "active_seeds", "active_limit", "dont_count_slow_torrents", "slow_torrent_download_rate", "slow_torrent_upload_rate",
        "resume_data_interval_ms", "enable_dht", "dht_bootstrap_nodes", "enable_lsd", "enable_upnp", "enable_natpmp",
    ];

    // Keys added for connection slots (issue 11): state written before them loads with their defaults.
    private static readonly string[] SlotKeys =
    [
        "max_connections_per_address", "max_pending_incoming", "handshake_timeout_ms", "peer_silence_timeout_ms", "peer_useless_timeout_ms",
    ];

    private static readonly PropertyInfo[] Properties = typeof(SessionSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    [Fact]
    public void Every_public_property_of_SessionSettings_has_exactly_one_descriptor_of_its_type()
    {
        Assert.Equal(Properties.Select(p => p.Name).Order(StringComparer.Ordinal), SessionSettingsSchema.All.Select(d => d.Name).Order(StringComparer.Ordinal));
        foreach (var property in Properties)
        {
            var descriptor = Assert.Single(SessionSettingsSchema.All, d => d.Name == property.Name);
            Assert.Equal(property.PropertyType, descriptor.ValueType);
            Assert.True(Same(property.GetValue(SessionSettings.Default), descriptor.Default), property.Name);
        }

        var keys = SessionSettingsSchema.All.Where(d => d.Key is not null).Select(d => d.Key).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        var stateKeys = SessionSettingsSchema.All.Where(d => d.Persisted).Select(d => d.StateKey).ToList();
        Assert.Equal(stateKeys.Count, stateKeys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_descriptor_has_a_non_default_sample_and_writes_only_its_own_property()
    {
        foreach (var descriptor in SessionSettingsSchema.All)
        {
            Assert.True(Samples.TryGetValue(descriptor.Name, out var sample), $"{descriptor.Name} has no sample in this test");
            Assert.False(Same(sample, descriptor.Default), $"the sample of {descriptor.Name} is its default");
            var changed = descriptor.With(SessionSettings.Default, sample);
            foreach (var property in Properties)
            {
                var expected = property.Name == descriptor.Name ? sample : property.GetValue(SessionSettings.Default);
                Assert.True(Same(expected, property.GetValue(changed)), $"{descriptor.Name} wrote {property.Name}");
            }

            Assert.True(Same(sample, descriptor.Get(changed)), descriptor.Name);
        }
    }

    [Fact]
    public void Saved_state_keeps_every_persisted_setting_and_only_the_IP_filter_is_kept_apart()
    {
        var all = WithAllSamples();
        var bytes = BencodeWriter.Encode(SettingsStateCodec.Encode(all));
        var loaded = SettingsStateCodec.Decode((BDictionary)BencodeReader.Decode(bytes));
        foreach (var descriptor in SessionSettingsSchema.All)
        {
            var expected = descriptor.Persisted ? descriptor.Get(all) : descriptor.Default;
            Assert.True(Same(expected, descriptor.Get(loaded)), descriptor.Name);
        }

        Assert.Equal([nameof(SessionSettings.IpFilter)], SessionSettingsSchema.All.Where(d => !d.Persisted).Select(d => d.Name));
    }

    [Fact]
    public void The_state_format_keeps_every_old_key_and_state_without_the_new_ones_still_loads()
    {
        var written = SettingsStateCodec.Encode(SessionSettings.Default).Entries.Select(e => e.Key.Text).ToList();
        Assert.Equal(LegacyStateKeys.Concat(EncryptionKeys).Append("max_protocol_strikes_per_peer").Concat(SlotKeys).Concat(TransportKeys).Concat(DhtKeys).Concat(WebSeedKeys).Concat(InterfaceKeys).Concat(SeedGoalKeys).Concat(StreamKeys).Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));

        // An old file: a retired "encryption" entry, durations in milliseconds.
        var old = new BDictionary();
        old.Set("encryption", new BInteger(0));
        old.Set("listen_port", new BInteger(7001));
        old.Set("connect_timeout_ms", new BInteger(2500));
        old.Set("enable_natpmp", new BInteger(0));
        var loaded = SettingsStateCodec.Decode(old);
        Assert.Equal(SessionSettings.Default with { ListenPort = 7001, ConnectTimeout = TimeSpan.FromMilliseconds(2500) }, loaded);
    }

    [Fact]
    public void A_setting_of_the_wrong_type_in_saved_state_is_a_typed_error()
    {
        var state = new BDictionary();
        state.Set("user_agent", new BInteger(3));
        var e = Assert.Throws<TorrentException>(() => SettingsStateCodec.Decode(state));
        Assert.Equal(ErrorCode.InvalidSessionState, e.ErrorCode);
        Assert.Contains("user_agent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Godot_dictionary_round_trips_every_keyed_setting()
    {
        var all = WithAllSamples();
        var values = SettingsBuilder.ToValues(all);
        Assert.Equal(SettingsBuilder.Keys, values.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(SessionSettingsSchema.All.Where(d => d.Key is not null).Select(d => d.Key!).Order(StringComparer.Ordinal), SettingsBuilder.Keys);
        Assert.Equal("forced", values["in_enc_policy"]);
        Assert.Equal("rc4", values["allowed_enc_level"]);
        Assert.Equal("round_robin", values["seed_choking_algorithm"]);
        Assert.Equal(2.5, values["connect_timeout"]);

        var loaded = SettingsBuilder.Apply(values);
        foreach (var descriptor in SessionSettingsSchema.All)
        {
            var expected = descriptor.Key is not null ? descriptor.Get(all) : descriptor.Default;
            Assert.True(Same(expected, descriptor.Get(loaded)), descriptor.Name);
        }
    }

    [Fact]
    public void The_defaults_are_valid_and_so_is_every_sample()
    {
        SessionSettings.Default.Validate();
        foreach (var descriptor in SessionSettingsSchema.All)
        {
            descriptor.With(SessionSettings.Default, Samples[descriptor.Name]).Validate();
        }
    }

    [Fact]
    public void Encryption_is_set_through_the_dictionary_by_name_and_a_bad_level_is_refused()
    {
        var s = SettingsBuilder.Build(new Dictionary<string, object?> { ["in_enc_policy"] = "forced", ["out_enc_policy"] = "disabled", ["allowed_enc_level"] = "plaintext", ["prefer_rc4"] = true });
        Assert.Equal((EncryptionPolicy.Forced, EncryptionPolicy.Disabled, EncryptionLevel.Plaintext, true), (s.IncomingEncryption, s.OutgoingEncryption, s.AllowedEncryptionLevel, s.PreferRc4));
        var e = Assert.Throws<TorrentException>(() => SettingsBuilder.Build(new Dictionary<string, object?> { ["allowed_enc_level"] = "aes" }));
        Assert.Contains("allowed_enc_level", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<TorrentException>(() => new SessionSettings { AllowedEncryptionLevel = 0 }.Validate());
        Assert.Contains("Invalid setting AllowedEncryptionLevel", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MyGame/1.0\r\nX-Injected: 1")]
    [InlineData("Jeu de Noël/1.0")]
    [InlineData("tab\there")]
    public void A_user_agent_is_refused_unless_it_is_printable_ASCII(string userAgent)
    {
        // It is sent as an HTTP header to trackers and web seeds: a line break would add headers,
        // and .NET refuses non-ASCII header values, which would fail every announce.
        var e = Assert.Throws<TorrentException>((SessionSettings.Default with { UserAgent = userAgent }).Validate);
        Assert.Contains("Invalid setting UserAgent:", e.Message, StringComparison.Ordinal);
        (SessionSettings.Default with { UserAgent = "MyGame/1.0 (Godot 4.6; +https://example.com)" }).Validate();
    }

    [Fact]
    public void Each_rule_names_its_own_setting()
    {
        (string Name, SessionSettings Settings)[] invalid =
        [
            (nameof(SessionSettings.ListenPortRange), SessionSettings.Default with { ListenPort = 65535, ListenPortRange = 2 }),
            (nameof(SessionSettings.SlowTorrentUploadRate), SessionSettings.Default with { SlowTorrentUploadRate = -1 }),
            (nameof(SessionSettings.ListenAddresses), SessionSettings.Default with { ListenAddresses = [IPAddress.Loopback, null!] }),
            (nameof(SessionSettings.ListenInterfaces), SessionSettings.Default with { ListenInterfaces = ["lo", "eth0:70000"] }),
            (nameof(SessionSettings.ListenInterfaces), SessionSettings.Default with { ListenInterfaces = null! }),
            (nameof(SessionSettings.OutgoingInterfaces), SessionSettings.Default with { OutgoingInterfaces = ["eth0:6881"] }),
            (nameof(SessionSettings.ResumeDataInterval), SessionSettings.Default with { ResumeDataInterval = TimeSpan.Zero }),
            (nameof(SessionSettings.AlertMask), SessionSettings.Default with { AlertMask = (AlertCategory)(1 << 30) }),
            (nameof(SessionSettings.DhtAlpha), SessionSettings.Default with { DhtAlpha = 2 }),
            (nameof(SessionSettings.DhtAlpha), SessionSettings.Default with { DhtAlpha = 6 }),
            (nameof(SessionSettings.DhtUploadRateLimit), SessionSettings.Default with { DhtUploadRateLimit = -1 }),
            (nameof(SessionSettings.DhtAnnounceInterval), SessionSettings.Default with { DhtAnnounceInterval = TimeSpan.FromSeconds(30) }),
            (nameof(SessionSettings.DhtFollowInterval), SessionSettings.Default with { DhtFollowInterval = TimeSpan.FromSeconds(4) }),
        ];
        foreach (var (name, settings) in invalid)
        {
            var e = Assert.Throws<TorrentException>(settings.Validate);
            Assert.Contains($"Invalid setting {name}:", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_public_dht_routers_are_valid_bootstrap_nodes_but_not_the_default()
    {
        Assert.Empty(SessionSettings.Default.DhtBootstrapNodes);
        Assert.False(SessionSettings.Default.EnableDht);
        Assert.Contains("router.bittorrent.com:6881", SessionSettings.PublicDhtRouters);
        Assert.Equal(4, SessionSettings.PublicDhtRouters.Count);
        (SessionSettings.Default with { EnableDht = true, DhtBootstrapNodes = SessionSettings.PublicDhtRouters }).Validate();
    }

    private static SessionSettings WithAllSamples() =>
        SessionSettingsSchema.All.Aggregate(SessionSettings.Default, (s, d) => d.With(s, Samples[d.Name]));

    private static bool Same(object? a, object? b) =>
        a is IEnumerable x && b is IEnumerable y && a is not string && b is not string
            ? x.Cast<object?>().SequenceEqual(y.Cast<object?>())
            : Equals(a, b);
}
