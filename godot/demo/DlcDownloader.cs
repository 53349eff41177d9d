using System.Net;
using Godot;
using GodotTorrent.Addon;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrentDemo;

/// <summary>
/// A game fetching a DLC pack peer-to-peer. A second session in the same scene plays the local
/// content server: it makes a DLC pack in <c>user://dlc_server</c> and seeds it; the game session
/// downloads it into <c>user://dlc</c> from that seed over loopback, with a progress bar.
/// </summary>
public partial class DlcDownloader : Control
{
    private TorrentSessionNode _server = null!;
    private TorrentSessionNode _game = null!;
    private ProgressBar _progress = null!;
    private Label _status = null!;

    /// <inheritdoc/>
    public override void _Ready()
    {
        _server = new TorrentSessionNode { Name = "DlcServer", ListenPort = 0 };
        _game = new TorrentSessionNode { Name = "Game", ListenPort = 0, DownloadFolder = "user://dlc", StatusInterval = 0.2 };
        _game.StatusUpdated += (_, status) =>
        {
            _progress.Value = (double)status["progress"];
            _status.Text = $"{status["state"]}: {(long)status["download_rate"] / 1024} KiB/s from {status["num_peers"]} peer(s)";
        };
        _game.TorrentFinished += (_, name) => _status.Text = $"DLC '{name}' installed in {_game.ResolvePath("user://dlc")}";
        _game.OperationFailed += (operation, _, message) => _status.Text = $"{operation} failed: {message}";
        AddChild(_server);
        AddChild(_game);

        var root = new VBoxContainer();
        root.SetAnchorsPreset(LayoutPreset.FullRect);
        AddChild(root);
        var download = new Button { Text = "Download the DLC pack" };
        download.Pressed += () => _ = DownloadAsync();
        root.AddChild(download);
        _progress = new ProgressBar { MaxValue = 1, Step = 0.001 };
        root.AddChild(_progress);
        _status = new Label();
        root.AddChild(_status);
        var back = new Button { Text = "Back" };
        back.Pressed += () => GetTree().ChangeSceneToFile("res://demo/Main.tscn");
        root.AddChild(back);
    }

    private async Task DownloadAsync()
    {
        try
        {
            // The content server: a DLC pack (random data standing in for assets), its torrent, seeded.
            var packFolder = Path.Combine(_server.ResolvePath("user://dlc_server"), "dlc_pack");
            if (!Directory.Exists(packFolder))
            {
                Directory.CreateDirectory(packFolder);
                var random = new Random(42);
                foreach (var (name, size) in new[] { ("levels.pck", 8 << 20), ("music.ogg", 3 << 20), ("readme.txt", 1000) })
                {
                    var data = new byte[size];
                    random.NextBytes(data);
                    await File.WriteAllBytesAsync(Path.Combine(packFolder, name), data).ConfigureAwait(true);
                }
            }

            var torrent = await TorrentCreator.CreateAsync(packFolder).ConfigureAwait(true);
            await _server.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = Path.GetDirectoryName(packFolder)! }).ConfigureAwait(true);

            // The game: what it would get from its patch server is just the .torrent bytes.
            var handle = await _game.AddTorrentAsync(new AddTorrentParams { Torrent = TorrentInfo.Parse(torrent.ToBytes()), SavePath = _game.ResolvePath(_game.DownloadFolder) }).ConfigureAwait(true);
            await handle.ConnectPeerAsync(new IPEndPoint(IPAddress.Loopback, _server.Session!.ListenPort)).ConfigureAwait(true);
            _status.Text = "Connecting to the DLC server...";
        }
        catch (Exception e) when (e is GodotTorrent.TorrentException or IOException or UnauthorizedAccessException)
        {
            _status.Text = e.Message;
        }
    }
}
