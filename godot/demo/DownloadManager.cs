using Godot;
using GodotTorrent.Addon;

namespace GodotTorrentDemo;

/// <summary>
/// A download manager: paste a magnet link or a .torrent path, watch each torrent's progress,
/// pause, resume or remove it, and choose per-file priorities. Everything goes through the
/// <see cref="TorrentSessionNode"/>'s GDScript-style API and signals.
/// </summary>
public partial class DownloadManager : Control
{
    private static readonly string[] PriorityNames = ["Skip", "Lowest", "Low", "Below normal", "Normal", "Above normal", "High", "Top"];
    private readonly System.Collections.Generic.Dictionary<string, Row> _rows = [];
    private TorrentSessionNode _torrents = null!;
    private LineEdit _input = null!;
    private VBoxContainer _list = null!;
    private Label _message = null!;

    /// <inheritdoc/>
    public override void _Ready()
    {
        _torrents = new TorrentSessionNode { Name = "DownloadManager", Settings = TorrentSettings.FromProjectSettings().With("listen_port", 0).With("download_folder", "user://downloads") };
        _torrents.TorrentAdded += OnTorrentAdded;
        _torrents.TorrentRemoved += (infoHash, _) => RemoveRow(infoHash);
        _torrents.StatusUpdated += OnStatusUpdated;
        _torrents.MetadataReceived += (infoHash, _) => ShowFiles(infoHash);
        _torrents.TorrentFinished += (_, name) => _message.Text = $"Finished: {name}";
        _torrents.TorrentError += (_, _, message) => _message.Text = $"Error: {message}";
        _torrents.OperationFailed += (operation, _, message) => _message.Text = $"{operation} failed: {message}";
        AddChild(_torrents);

        var root = new VBoxContainer();
        root.SetAnchorsPreset(LayoutPreset.FullRect);
        AddChild(root);
        var bar = new HBoxContainer();
        root.AddChild(bar);
        _input = new LineEdit { PlaceholderText = "magnet:?xt=... or a .torrent path (user://, res:// or absolute)", SizeFlagsHorizontal = SizeFlags.ExpandFill };
        bar.AddChild(_input);
        var add = new Button { Text = "Add" };
        add.Pressed += OnAddPressed;
        bar.AddChild(add);
        var back = new Button { Text = "Back" };
        back.Pressed += () => GetTree().ChangeSceneToFile("res://demo/Main.tscn");
        bar.AddChild(back);
        _message = new Label();
        root.AddChild(_message);
        var scroll = new ScrollContainer { SizeFlagsVertical = SizeFlags.ExpandFill };
        root.AddChild(scroll);
        _list = new VBoxContainer { SizeFlagsHorizontal = SizeFlags.ExpandFill };
        scroll.AddChild(_list);
    }

    private void OnAddPressed()
    {
        var text = _input.Text.Trim();
        if (text.StartsWith("magnet:", StringComparison.OrdinalIgnoreCase))
        {
            _torrents.AddMagnetUri(text);
        }
        else if (text.Length > 0)
        {
            _torrents.AddTorrentFile(text);
        }

        _input.Text = string.Empty;
    }

    private void OnTorrentAdded(string infoHash, string name)
    {
        if (_rows.ContainsKey(infoHash) || _torrents.GetTorrent(infoHash) is not { } handle)
        {
            return;
        }

        var row = new Row(handle, name);
        row.Remove.Pressed += () => _torrents.RemoveTorrent(infoHash);
        _rows[infoHash] = row;
        _list.AddChild(row.Box);
        ShowFiles(infoHash);
    }

    private void OnStatusUpdated(string infoHash, Godot.Collections.Dictionary status)
    {
        if (_rows.TryGetValue(infoHash, out var row))
        {
            row.Update(status);
        }
    }

    private void ShowFiles(string infoHash)
    {
        if (!_rows.TryGetValue(infoHash, out var row) || row.Handle.GetInfo() is not { } info || row.Files.GetChildCount() > 0)
        {
            return;
        }

        foreach (var file in info.GetFiles())
        {
            var line = new HBoxContainer();
            line.AddChild(new Label { Text = $"{file["path"]} ({(long)file["size"] / 1024} KiB)", SizeFlagsHorizontal = SizeFlags.ExpandFill });
            var priority = new OptionButton();
            foreach (var name in PriorityNames)
            {
                priority.AddItem(name);
            }

            priority.Selected = 4;
            int index = (int)file["index"];
            priority.ItemSelected += selected => row.Handle.SetFilePriority(index, (int)selected);
            line.AddChild(priority);
            row.Files.AddChild(line);
        }
    }

    private void RemoveRow(string infoHash)
    {
        if (_rows.Remove(infoHash, out var row))
        {
            row.Box.QueueFree();
        }
    }

    /// <summary>One torrent in the list.</summary>
    private sealed class Row
    {
        private readonly Label _state = new() { CustomMinimumSize = new Vector2(260, 0) };
        private readonly ProgressBar _progress = new() { MaxValue = 1, Step = 0.001, CustomMinimumSize = new Vector2(200, 0), SizeFlagsHorizontal = SizeFlags.ExpandFill };
        private readonly Button _pause = new() { Text = "Pause", ToggleMode = true };

        public Row(GdTorrentHandle handle, string name)
        {
            Handle = handle;
            var line = new HBoxContainer();
            line.AddChild(new Label { Text = name, CustomMinimumSize = new Vector2(200, 0) });
            line.AddChild(_progress);
            line.AddChild(_state);
            _pause.Toggled += paused =>
            {
                if (paused)
                {
                    Handle.Pause();
                }
                else
                {
                    Handle.Resume();
                }

                _pause.Text = paused ? "Resume" : "Pause";
            };
            line.AddChild(_pause);
            line.AddChild(Remove);
            Box.AddChild(line);
            Box.AddChild(Files);
        }

        public GdTorrentHandle Handle { get; }

        public VBoxContainer Box { get; } = new();

        public VBoxContainer Files { get; } = new();

        public Button Remove { get; } = new() { Text = "Remove" };

        public void Update(Godot.Collections.Dictionary status)
        {
            _progress.Value = (double)status["progress"];
            _state.Text = $"{status["state"]}  down {(long)status["download_rate"] / 1024} KiB/s  up {(long)status["upload_rate"] / 1024} KiB/s  peers {status["num_peers"]}";
        }
    }
}
