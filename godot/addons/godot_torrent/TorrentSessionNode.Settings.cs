#nullable enable
using GodotTorrent.Integration;

namespace GodotTorrent.Addon;

// The node's earlier properties, kept so code written for them works: each reads and writes an
// entry of Settings (the project settings' values until changed). Changes apply at the next start.
public partial class TorrentSessionNode
{
    /// <summary>Where torrents go when no save path is given (the <c>download_folder</c> setting).</summary>
    public string DownloadFolder
    {
        get => EffectiveSettings().GetValue(AddonSettings.DownloadFolder).AsString();
        set => EffectiveSettings().SetValue(AddonSettings.DownloadFolder, value);
    }

    /// <summary>First port to listen on, 0 = any free port (the <c>listen_port</c> setting).</summary>
    public int ListenPort
    {
        get => EffectiveSettings().GetValue("listen_port").AsInt32();
        set => EffectiveSettings().SetValue("listen_port", value);
    }

    /// <summary>How many ports from <see cref="ListenPort"/> on to try (the <c>listen_port_range</c> setting).</summary>
    public int ListenPortRange
    {
        get => EffectiveSettings().GetValue("listen_port_range").AsInt32();
        set => EffectiveSettings().SetValue("listen_port_range", value);
    }

    /// <summary>Most peer connections in all (the <c>max_connections</c> setting).</summary>
    public int MaxConnections
    {
        get => EffectiveSettings().GetValue("max_connections").AsInt32();
        set => EffectiveSettings().SetValue("max_connections", value);
    }

    /// <summary>Upload limit in bytes per second, 0 = unlimited (the <c>upload_rate_limit</c> setting).</summary>
    public long UploadRateLimit
    {
        get => EffectiveSettings().GetValue("upload_rate_limit").AsInt64();
        set => EffectiveSettings().SetValue("upload_rate_limit", value);
    }

    /// <summary>Download limit in bytes per second, 0 = unlimited (the <c>download_rate_limit</c> setting).</summary>
    public long DownloadRateLimit
    {
        get => EffectiveSettings().GetValue("download_rate_limit").AsInt64();
        set => EffectiveSettings().SetValue("download_rate_limit", value);
    }

    /// <summary>The DHT on or off (the <c>enable_dht</c> setting).</summary>
    public bool EnableDht
    {
        get => EffectiveSettings().GetValue("enable_dht").AsBool();
        set => EffectiveSettings().SetValue("enable_dht", value);
    }

    /// <summary>DHT bootstrap nodes as <c>host:port</c> (the <c>dht_bootstrap_nodes</c> setting).</summary>
    public string[] DhtBootstrapNodes
    {
        get => EffectiveSettings().GetValue("dht_bootstrap_nodes").AsStringArray();
        set => EffectiveSettings().SetValue("dht_bootstrap_nodes", value);
    }

    /// <summary>Start (and listen) when the node is ready (the <c>start_on_ready</c> setting; off by default).</summary>
    public bool AutoStart
    {
        get => EffectiveSettings().GetValue(AddonSettings.StartOnReady).AsBool();
        set => EffectiveSettings().SetValue(AddonSettings.StartOnReady, value);
    }

    /// <summary>Most alerts turned into signals per frame (the <c>max_alerts_per_frame</c> setting).</summary>
    public int MaxAlertsPerFrame
    {
        get => EffectiveSettings().GetValue(AddonSettings.MaxAlertsPerFrame).AsInt32();
        set => EffectiveSettings().SetValue(AddonSettings.MaxAlertsPerFrame, value);
    }

    /// <summary>Seconds between two <c>StatusUpdated</c> signals of one torrent (the <c>status_interval</c> setting).</summary>
    public double StatusInterval
    {
        get => EffectiveSettings().GetValue(AddonSettings.StatusInterval).AsDouble();
        set => EffectiveSettings().SetValue(AddonSettings.StatusInterval, value);
    }
}
