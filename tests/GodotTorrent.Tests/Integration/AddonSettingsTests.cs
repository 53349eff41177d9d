using GodotTorrent.Alerts;
using GodotTorrent.Integration;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Integration;

public class AddonSettingsTests
{
    [Fact]
    public void Defaults_build_the_library_defaults_plus_peer_connection_alerts()
    {
        var settings = AddonSettings.BuildSession(AddonSettings.All.Select(s => KeyValuePair.Create(s.Key, (object?)s.Default)));

        Assert.Equal(SettingsBuilder.ToValues(AddonSettings.SessionDefaults), SettingsBuilder.ToValues(settings));
        Assert.True(settings.AlertMask.HasFlag(AlertCategory.Connect), "PeerConnected must fire by default");
        Assert.Equal(SettingsBuilder.ToValues(SessionSettings.Default with { AlertMask = settings.AlertMask }), SettingsBuilder.ToValues(settings));
        Assert.False(settings.EnableDht);
        Assert.False(settings.EnableUpnp);
    }

    [Fact]
    public void Every_setting_has_a_unique_project_settings_path_and_a_known_key()
    {
        Assert.Equal(AddonSettings.All.Count, AddonSettings.All.Select(s => s.Path).Distinct().Count());
        Assert.All(AddonSettings.All, s =>
        {
            Assert.StartsWith("godot_torrent/", s.Path, StringComparison.Ordinal);
            Assert.EndsWith("/" + s.Key, s.Path, StringComparison.Ordinal);
            Assert.True(s.Default is long or bool or double or string or string[], $"{s.Key}: {s.Default.GetType()}");
        });
        Assert.Contains(AddonSettings.All, s => s.Key == "enable_dht" && s.IsSessionSetting);
        Assert.Contains(AddonSettings.All, s => s.Key == AddonSettings.Autosave && !s.IsSessionSetting && s.Default is true);
        Assert.Contains(AddonSettings.All, s => s.Key == AddonSettings.StartOnReady && s.Default is false);
    }

    [Fact]
    public void Values_override_defaults_and_the_addons_own_keys_do_not_reach_the_session()
    {
        var settings = AddonSettings.BuildSession(
        [
            KeyValuePair.Create("listen_port", (object?)7000L),
            KeyValuePair.Create("enable_dht", (object?)true),
            KeyValuePair.Create("dht_bootstrap_nodes", (object?)new[] { "127.0.0.1:6881" }),
            KeyValuePair.Create("in_enc_policy", (object?)"forced"),
            KeyValuePair.Create(AddonSettings.DownloadFolder, (object?)"user://elsewhere"),
            KeyValuePair.Create(AddonSettings.Autosave, (object?)false),
            KeyValuePair.Create("user_agent", (object?)"game/1"),
        ]);

        Assert.Equal(7000, settings.ListenPort);
        Assert.True(settings.EnableDht);
        Assert.Equal(["127.0.0.1:6881"], settings.DhtBootstrapNodes);
        Assert.Equal(EncryptionPolicy.Forced, settings.IncomingEncryption);
        Assert.Equal("game/1", settings.UserAgent);
        Assert.True(AddonSettings.IsKnown("user_agent"));
        Assert.True(AddonSettings.IsKnown(AddonSettings.Autosave));
        Assert.False(AddonSettings.IsKnown("listen_prot"));
    }

    [Fact]
    public void Unknown_keys_and_bad_values_are_errors_naming_them()
    {
        var unknown = Assert.Throws<TorrentException>(() => AddonSettings.BuildSession([KeyValuePair.Create("listen_prot", (object?)1L)]));
        Assert.Equal(ErrorCode.InvalidArgument, unknown.ErrorCode);
        Assert.Contains("listen_prot", unknown.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<TorrentException>(() => AddonSettings.BuildSession([KeyValuePair.Create("listen_port", (object?)70000L)]));
        Assert.Equal(ErrorCode.InvalidArgument, bad.ErrorCode);
    }

    [Fact]
    public void Hints_name_values_the_builder_accepts()
    {
        var encryption = AddonSettings.Find("out_enc_policy")!;
        Assert.Equal(AddonSettingHint.Enum, encryption.Hint);
        foreach (var choice in encryption.HintText.Split(','))
        {
            AddonSettings.BuildSession([KeyValuePair.Create("out_enc_policy", (object?)choice)]);
        }

        var mask = AddonSettings.Find("alert_mask")!;
        Assert.Equal(AddonSettingHint.Flags, mask.Hint);
        long all = mask.HintText.Split(',').Select(f => long.Parse(f.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)).Aggregate(0L, (a, b) => a | b);
        Assert.Equal((long)AlertCategory.All, all);
        Assert.Equal(AddonSettingHint.Range, AddonSettings.Find("listen_port")!.Hint);
    }
}
