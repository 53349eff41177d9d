using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Integration;

/// <summary>
/// The Godot addon's settings, in one table: the plugin registers each in ProjectSettings, the
/// settings resource mirrors them, and the session node builds its <see cref="SessionSettings"/>
/// from them with <see cref="BuildSession"/>. A game's defaults differ from the library's in one
/// place: <see cref="SessionDefaults"/> also reports peer connections, so <c>PeerConnected</c> fires.
/// </summary>
public static class AddonSettings
{
    /// <summary>Where torrents go when no save path is given (<c>user://</c> or absolute).</summary>
    public const string DownloadFolder = "download_folder";

    /// <summary>Start the session when the node enters the tree rather than at the first torrent or <c>Start()</c>.</summary>
    public const string StartOnReady = "start_on_ready";

    /// <summary>Save the session state (torrents with their resume data) and restore it at the next start.</summary>
    public const string Autosave = "autosave";

    /// <summary>The folder of the saved session state (<c>user://</c> or absolute).</summary>
    public const string AutosaveFolder = "autosave_folder";

    /// <summary>Seconds between two saves of the session state while it runs.</summary>
    public const string AutosaveInterval = "autosave_interval";

    /// <summary>Seconds between two status signals of one torrent.</summary>
    public const string StatusInterval = "status_interval";

    /// <summary>Most alerts turned into signals per frame.</summary>
    public const string MaxAlertsPerFrame = "max_alerts_per_frame";

    /// <summary>The library's defaults with <see cref="AlertCategory.Connect"/> added to the alert mask (peer connect and disconnect signals).</summary>
    public static SessionSettings SessionDefaults { get; } = SessionSettings.Default with { AlertMask = SessionSettings.Default.AlertMask | AlertCategory.Connect };

    /// <summary>Every setting, in the order the inspector shows them.</summary>
    public static IReadOnlyList<AddonSetting> All { get; } = Create();

    /// <summary>The setting with this key, or null.</summary>
    public static AddonSetting? Find(string key) => All.FirstOrDefault(s => s.Key == key);

    /// <summary>True for a key of <see cref="All"/> or any other <see cref="SettingsBuilder"/> key (settings the project settings do not list can still be given in code).</summary>
    public static bool IsKnown(string key) => Find(key) is not null || SettingsBuilder.Keys.Contains(key);

    /// <summary>
    /// The session settings for <paramref name="values"/> (keys of <see cref="All"/> or any other <see cref="SettingsBuilder"/> key; missing keys
    /// keep <see cref="SessionDefaults"/>; the addon's own keys are skipped), validated.
    /// </summary>
    /// <exception cref="TorrentException"><see cref="ErrorCode.InvalidArgument"/> for an unknown key or a bad value, naming it.</exception>
    public static SessionSettings BuildSession(IEnumerable<KeyValuePair<string, object?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var session = new List<KeyValuePair<string, object?>>();
        foreach (var (key, value) in values)
        {
            if (!IsKnown(key))
            {
                throw new TorrentException(ErrorCode.InvalidArgument, $"Unknown Godot-Torrent setting '{key}'. Known settings: {string.Join(", ", All.Select(s => s.Key).Union(SettingsBuilder.Keys))}.");
            }

            if (Find(key) is not { IsSessionSetting: false })
            {
                session.Add(KeyValuePair.Create(key, value));
            }
        }

        return SettingsBuilder.Build(session, SessionDefaults);
    }

    private static List<AddonSetting> Create()
    {
        var defaults = SettingsBuilder.ToValues(SessionDefaults);
        AddonSetting Session(string group, string key, AddonSettingHint hint, string hintText, string description) =>
            new($"godot_torrent/{group}/{key}", key, defaults[key]!, hint, hintText, description);
        AddonSetting Own(string group, string key, object value, AddonSettingHint hint, string hintText, string description) =>
            new($"godot_torrent/{group}/{key}", key, value, hint, hintText, description);
        string encryption = string.Join(",", Enum.GetNames<EncryptionPolicy>().Select(n => n.ToLowerInvariant()));
        string categories = string.Join(",", Enum.GetValues<AlertCategory>()
            .Where(c => c is not (AlertCategory.None or AlertCategory.All or AlertCategory.Default))
            .Select(c => $"{c}:{(long)c}"));
        return
        [
            Session("network", "listen_port", AddonSettingHint.Range, "0,65535", "First port to listen on (0 = any free port)."),
            Session("network", "listen_port_range", AddonSettingHint.Range, "1,1000", "How many ports from listen_port on to try."),
            Session("network", "listen_interfaces", AddonSettingHint.None, string.Empty, "Addresses or interface names to listen on (empty = all)."),
            Session("network", "enable_lsd", AddonSettingHint.None, string.Empty, "Local service discovery: find peers on the LAN (BEP 14)."),
            Session("network", "enable_upnp", AddonSettingHint.None, string.Empty, "Ask the router for the listen port with UPnP."),
            Session("network", "enable_natpmp", AddonSettingHint.None, string.Empty, "Ask the router for the listen port with NAT-PMP/PCP."),
            Session("network", "in_enc_policy", AddonSettingHint.Enum, encryption, "Encryption of incoming connections (BEP 8 MSE)."),
            Session("network", "out_enc_policy", AddonSettingHint.Enum, encryption, "Encryption of outgoing connections (BEP 8 MSE)."),
            Session("dht", "enable_dht", AddonSettingHint.None, string.Empty, "The DHT (BEP 5): trackerless peers, magnet links, update channels (BEP 46)."),
            Session("dht", "dht_bootstrap_nodes", AddonSettingHint.None, string.Empty, "DHT bootstrap nodes as host:port (none are contacted unless listed)."),
            Session("limits", "upload_rate_limit", AddonSettingHint.Range, "0,1073741824", "Upload limit in bytes per second (0 = unlimited)."),
            Session("limits", "download_rate_limit", AddonSettingHint.Range, "0,1073741824", "Download limit in bytes per second (0 = unlimited)."),
            Session("limits", "max_connections", AddonSettingHint.Range, "1,65535", "Most peer connections in all."),
            Session("session", "alert_mask", AddonSettingHint.Flags, categories, "Which alert categories become signals."),
            Own("session", DownloadFolder, "user://downloads", AddonSettingHint.Folder, string.Empty, "Where torrents go when no save path is given."),
            Own("session", StartOnReady, false, AddonSettingHint.None, string.Empty, "Listen as soon as the node is ready instead of at the first torrent or Start()."),
            Own("session", StatusInterval, 0.5, AddonSettingHint.Range, "0,60", "Seconds between two StatusUpdated signals of one torrent."),
            Own("session", MaxAlertsPerFrame, 64L, AddonSettingHint.Range, "1,10000", "Most alerts turned into signals per frame."),
            Own("storage", Autosave, true, AddonSettingHint.None, string.Empty, "Save torrents and their resume data, and restore them at the next start (no re-hash)."),
            Own("storage", AutosaveFolder, "user://godot_torrent", AddonSettingHint.Folder, string.Empty, "Where the session state is saved."),
            Own("storage", AutosaveInterval, 30.0, AddonSettingHint.Range, "1,3600", "Seconds between two saves while the session runs."),
        ];
    }
}
