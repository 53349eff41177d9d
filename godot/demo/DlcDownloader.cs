using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Godot;
using GodotTorrent;
using GodotTorrent.Addon;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrentDemo;

/// <summary>
/// Auto-updating DLC over an update channel (BEP 46). A second session in the scene plays the
/// studio's server: it packs a scene into a <c>.pck</c> (Godot's <c>PckPacker</c>), seeds it and
/// publishes it on its channel (a signing key and the salt "dlc") over a DHT of the two sessions
/// on loopback. The game follows the channel, downloads the pack into <c>user://dlc</c>, mounts it
/// with <c>ProjectSettings.LoadResourcePack</c> and instances the scene in it. "Publish the next
/// version" makes a new pack; the game hears of it (<c>UpdateAvailable</c>), downloads it reusing
/// what it already has (<c>DownloadUpdate</c>) and mounts it when <c>UpdateReady</c> fires.
/// </summary>
public partial class DlcDownloader : Control
{
    private const string Salt = "dlc";
    private const string ScenePath = "res://dlc/dlc_scene.tscn";
    private static readonly string[] Loopback = ["127.0.0.1"];
    private TorrentSessionNode _server = null!;
    private TorrentSessionNode _game = null!;
    private DhtSigningKey _key = null!;
    private ProgressBar _progress = null!;
    private Label _status = null!;
    private Control _stage = null!;
    private Node? _dlc;
    private int _version;
    private bool _following;

    /// <inheritdoc/>
    public override void _Ready()
    {
        var loopback = TorrentSettings.FromProjectSettings()
            .With("listen_interfaces", Loopback)
            .With("listen_port", 0)
            .With("enable_dht", true)
            .With("autosave", false);
        _server = new TorrentSessionNode { Name = "DlcServer", Settings = loopback };
        _game = new TorrentSessionNode { Name = "DlcGame", Settings = loopback.Copy().With("download_folder", "user://dlc").With("status_interval", 0.2) };
        _game.StatusUpdated += (_, status) =>
        {
            _progress.Value = (double)status["progress"];
            _status.Text = $"{status["state"]}: {(long)status["download_rate"] / 1024} KiB/s from {status["num_peers"]} peer(s)";
        };
        _game.TorrentAdded += (infoHash, _) => _game.ConnectPeer(infoHash, $"127.0.0.1:{_server.Session!.ListenPort}");
        _game.TorrentFinished += OnFinished;
        _game.UpdateAvailable += (infoHash, _, sequence) =>
        {
            _status.Text = $"Version {sequence} of the DLC is out: downloading what changed...";
            _game.DownloadUpdate(infoHash);
        };
        _game.UpdateReady += (_, _, savePath) => Mount(savePath);
        _game.OperationFailed += (operation, _, message) => _status.Text = $"{operation} failed: {message}";
        _server.OperationFailed += (operation, _, message) => _status.Text = $"server: {operation} failed: {message}";
        AddChild(_server);
        AddChild(_game);

        var root = new VBoxContainer();
        root.SetAnchorsPreset(LayoutPreset.FullRect);
        AddChild(root);
        var publish = new Button { Text = "Publish the next DLC version (server)" };
        publish.Pressed += () => _ = PublishAsync();
        root.AddChild(publish);
        _progress = new ProgressBar { MaxValue = 1, Step = 0.001 };
        root.AddChild(_progress);
        _status = new Label { Text = "Press the button: the server publishes version 1 and the game follows its channel." };
        root.AddChild(_status);
        _stage = new PanelContainer { SizeFlagsVertical = SizeFlags.ExpandFill };
        root.AddChild(_stage);
        var back = new Button { Text = "Back" };
        back.Pressed += () => GetTree().ChangeSceneToFile("res://demo/Main.tscn");
        root.AddChild(back);
    }

    private async Task PublishAsync()
    {
        try
        {
            await _server.StartAsync().ConfigureAwait(true);
            if (!_following)
            {
                // The game's DHT starts from the server's node (a real game names its own bootstrap nodes).
                _game.Settings = _game.Settings!.Copy().With("dht_bootstrap_nodes", new[] { $"127.0.0.1:{_server.Session!.ListenPort}" });
                await _game.StartAsync().ConfigureAwait(true);
                _key = DhtSigningKey.Generate();
            }

            _version++;
            var torrent = await MakePackAsync(_version).ConfigureAwait(true);
            await _server.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = VersionFolder(_version) }).ConfigureAwait(true);
            await _server.Session!.PublishAsync(torrent.InfoHashes.V1!, _key, Encoding.UTF8.GetBytes(Salt)).ConfigureAwait(true);
            if (!_following)
            {
                _following = true;
                _game.FollowChannel(_key.PublicKeyHex, Salt);
                _status.Text = $"Following channel {_key.PublicKeyHex[..16]}... ({Salt})";
            }
            else
            {
                _status.Text = $"Server: version {_version} published; the game checks the channel every few minutes (the dht_follow_interval setting).";
            }
        }
        catch (Exception e) when (e is TorrentException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            _status.Text = e.Message;
        }
    }

    // The studio's build step: a scene packed into user://dlc_server/v<N>/dlc/content.pck, and its torrent.
    private Task<TorrentInfo> MakePackAsync(int version)
    {
        string folder = Path.Combine(VersionFolder(version), "dlc");
        Directory.CreateDirectory(folder);
        string scene = Path.Combine(VersionFolder(version), "dlc_scene.tscn");
        File.WriteAllText(scene, $"[gd_scene format=3]\n\n[node name=\"Dlc\" type=\"Label\"]\ntext = \"DLC version {version}: a new level, delivered peer-to-peer.\"\n");
        var packer = new PckPacker();
        var error = packer.PckStart(Path.Combine(folder, "content.pck"));
        if (error == Error.Ok)
        {
            error = packer.AddFile(ScenePath, scene);
        }

        if (error == Error.Ok)
        {
            error = packer.Flush();
        }

        return error == Error.Ok
            ? TorrentCreator.CreateAsync(folder)
            : throw new IOException($"Packing the DLC failed: {error}");
    }

    private string VersionFolder(int version) => Path.Combine(_server.ResolvePath("user://dlc_server"), $"v{version}");

    private void OnFinished(string infoHash, string name)
    {
        // The first version, fetched by FollowChannel; updates arrive through UpdateReady.
        if (_dlc is null && _game.GetTorrent(infoHash)?.GetStatus() is { } status && !string.IsNullOrEmpty(status.Status?.SavePath))
        {
            Mount(status.Status.SavePath);
        }
    }

    private void Mount(string savePath)
    {
        string pack = Path.Combine(savePath, "dlc", "content.pck");
        if (!ProjectSettings.LoadResourcePack(pack, true))
        {
            _status.Text = $"Could not mount {pack}";
            return;
        }

        // Ignore the cache: an update mounts a new scene under the same path.
        if (ResourceLoader.Load<PackedScene>(ScenePath, null, ResourceLoader.CacheMode.Ignore) is not { } scene)
        {
            _status.Text = $"{pack} has no {ScenePath}";
            return;
        }

        _dlc?.QueueFree();
        _dlc = scene.Instantiate();
        _stage.AddChild(_dlc);
        _status.Text = $"Mounted {pack}";
    }
}
