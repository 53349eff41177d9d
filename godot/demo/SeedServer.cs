using Godot;
using GodotTorrent.Addon;

namespace GodotTorrentDemo;

/// <summary>
/// A headless seeding server driven by a JSON config: run
/// <c>godot --headless res://demo/SeedServer.tscn -- --config=/srv/seed.json</c>. The config holds
/// session settings (the same snake_case keys as <c>StartSessionWithSettings</c>; unknown keys
/// stop the server with the reason) and the torrents to seed:
/// <code>
/// { "settings": { "listen_port": 6881, "upload_rate_limit": 0, "enable_dht": false },
///   "torrents": [ { "torrent": "/srv/dlc_pack.torrent", "save_path": "/srv/content" } ] }
/// </code>
/// Without <c>--config</c> it reads <c>user://seed_server.json</c>, writing an example there first.
/// </summary>
public partial class SeedServer : Node
{
    private const string DefaultConfig = "user://seed_server.json";
    private const string ExampleConfig = """
        {
          "settings": { "listen_port": 6881, "listen_port_range": 10, "max_connections": 200, "enable_dht": false },
          "torrents": []
        }
        """;

    private TorrentSessionNode _torrents = null!;
    private Godot.Collections.Array _toSeed = [];

    /// <inheritdoc/>
    public override void _Ready()
    {
        var configPath = DefaultConfig;
        foreach (var arg in OS.GetCmdlineUserArgs())
        {
            if (arg.StartsWith("--config=", StringComparison.Ordinal))
            {
                configPath = arg["--config=".Length..];
            }
        }

        if (configPath == DefaultConfig && !Godot.FileAccess.FileExists(configPath))
        {
            using var file = Godot.FileAccess.Open(configPath, Godot.FileAccess.ModeFlags.Write);
            file.StoreString(ExampleConfig);
            GD.Print($"seed server: wrote an example config to {ProjectSettings.GlobalizePath(configPath)}");
        }

        var text = Godot.FileAccess.GetFileAsString(configPath);
        var json = new Json();
        if (text.Length == 0 || json.Parse(text) != Error.Ok || json.Data.VariantType != Variant.Type.Dictionary)
        {
            Stop($"cannot read the config {configPath}: {json.GetErrorMessage()} (line {json.GetErrorLine()})");
            return;
        }

        var config = json.Data.AsGodotDictionary();
        foreach (var key in config.Keys)
        {
            if (key.AsString() is not ("settings" or "torrents"))
            {
                Stop($"unknown config key '{key}' (expected settings, torrents)");
                return;
            }
        }

        _toSeed = config.TryGetValue("torrents", out var torrents) ? torrents.AsGodotArray() : [];
        _torrents = new TorrentSessionNode { Name = "SeedServer", Settings = TorrentSettings.FromProjectSettings().With("status_interval", 5.0) };
        _torrents.SessionStarted += OnSessionStarted;
        _torrents.StatusUpdated += (_, s) => GD.Print($"seed server: {s["name"]} {s["state"]} peers={s["num_peers"]} up={(long)s["upload_rate"] / 1024} KiB/s total_up={(long)s["total_payload_upload"] / 1024} KiB");
        _torrents.PeerConnected += (_, address, client) => GD.Print($"seed server: peer {address} ({client}) connected");
        _torrents.TorrentError += (infoHash, _, message) => GD.PrintErr($"seed server: {infoHash}: {message}");
        _torrents.OperationFailed += (operation, _, message) => Stop($"{operation} failed: {message}");
        AddChild(_torrents);
        _torrents.StartSessionWithSettings(config.TryGetValue("settings", out var settings) ? settings.AsGodotDictionary() : []);
    }

    private void OnSessionStarted()
    {
        GD.Print($"seed server: listening on port {_torrents.Session?.ListenPort}");
        foreach (var entry in _toSeed)
        {
            var torrent = entry.AsGodotDictionary();
            _torrents.SeedTorrentFile(torrent["torrent"].AsString(), torrent["save_path"].AsString());
        }
    }

    private void Stop(string message)
    {
        GD.PrintErr($"seed server: {message}");
        GetTree().Quit(1);
    }
}
