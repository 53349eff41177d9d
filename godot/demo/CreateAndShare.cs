using Godot;
using GodotTorrent.Addon;
using GodotTorrent.Metainfo;

namespace GodotTorrentDemo;

/// <summary>
/// "Create and share": hash a file or folder into a torrent (TorrentCreator), seed it at once
/// from where it is, and copy its magnet link for a friend.
/// </summary>
public partial class CreateAndShare : Control
{
    private TorrentSessionNode _torrents = null!;
    private LineEdit _path = null!;
    private LineEdit _magnet = null!;
    private Label _status = null!;
    private ProgressBar _hashing = null!;

    /// <inheritdoc/>
    public override void _Ready()
    {
        _torrents = new TorrentSessionNode { Name = "CreateAndShare", Settings = TorrentSettings.FromProjectSettings().With("listen_port", 0) };
        _torrents.StatusUpdated += (_, status) => _status.Text = $"{status["state"]}: {status["num_peers"]} peers, {(long)status["total_payload_upload"] / 1024} KiB uploaded";
        _torrents.OperationFailed += (operation, _, message) => _status.Text = $"{operation} failed: {message}";
        AddChild(_torrents);

        var root = new VBoxContainer();
        root.SetAnchorsPreset(LayoutPreset.FullRect);
        AddChild(root);
        _path = new LineEdit { PlaceholderText = "File or folder to share (user:// or absolute)", Text = "user://share" };
        root.AddChild(_path);
        var create = new Button { Text = "Create torrent and seed" };
        create.Pressed += () => _ = CreateAndSeedAsync();
        root.AddChild(create);
        _hashing = new ProgressBar { MaxValue = 1, Step = 0.001 };
        root.AddChild(_hashing);
        _magnet = new LineEdit { Editable = false, PlaceholderText = "The magnet link appears here" };
        root.AddChild(_magnet);
        var copy = new Button { Text = "Copy magnet link" };
        copy.Pressed += () => DisplayServer.ClipboardSet(_magnet.Text);
        root.AddChild(copy);
        _status = new Label();
        root.AddChild(_status);
        var back = new Button { Text = "Back" };
        back.Pressed += () => GetTree().ChangeSceneToFile("res://demo/Main.tscn");
        root.AddChild(back);
    }

    private async Task CreateAndSeedAsync()
    {
        var path = _torrents.ResolvePath(_path.Text);
        if (path.Length == 0)
        {
            return;
        }

        if (!File.Exists(path) && !Directory.Exists(path))
        {
            // Something to share on a first run.
            Directory.CreateDirectory(path);
            await File.WriteAllTextAsync(Path.Combine(path, "hello.txt"), "Shared with Godot-Torrent.\n").ConfigureAwait(true);
        }

        try
        {
            // Progress<T> posts to the main thread's SynchronizationContext, so the bar can be set.
            var progress = new Progress<TorrentCreationProgress>(p => _hashing.Value = p.Fraction);
            var torrent = await TorrentCreator.CreateAsync(path, progress: progress).ConfigureAwait(true);
            await File.WriteAllBytesAsync(path.TrimEnd('/') + ".torrent", torrent.ToBytes()).ConfigureAwait(true);
            await _torrents.AddTorrentAsync(new GodotTorrent.Session.AddTorrentParams { Torrent = torrent, SavePath = Path.GetDirectoryName(path.TrimEnd('/'))! }).ConfigureAwait(true);
            _magnet.Text = torrent.ToMagnet().ToUri();
            _status.Text = $"Seeding {torrent.Name} on port {_torrents.Session?.ListenPort}";
        }
        catch (Exception e) when (e is GodotTorrent.TorrentException or IOException or UnauthorizedAccessException)
        {
            _status.Text = e.Message;
        }
    }
}
