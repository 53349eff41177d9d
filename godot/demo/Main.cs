using Godot;

namespace GodotTorrentDemo;

/// <summary>The demo menu: one button per demo scene.</summary>
public partial class Main : Control
{
    private static readonly (string Title, string Scene)[] Demos =
    [
        ("Download manager", "res://demo/DownloadManager.tscn"),
        ("Create and share", "res://demo/CreateAndShare.tscn"),
        ("Auto-updating DLC (an update channel, BEP 46)", "res://demo/DlcDownloader.tscn"),
        ("GDScript download", "res://demo/GDScriptDownload.tscn"),
        ("Seeding server (headless; run with --headless res://demo/SeedServer.tscn)", "res://demo/SeedServer.tscn"),
    ];

    /// <inheritdoc/>
    public override void _Ready()
    {
        var list = new VBoxContainer();
        list.SetAnchorsPreset(LayoutPreset.Center);
        AddChild(list);
        list.AddChild(new Label { Text = "Godot-Torrent demos" });
        foreach (var (title, scene) in Demos)
        {
            var button = new Button { Text = title };
            button.Pressed += () => GetTree().ChangeSceneToFile(scene);
            list.AddChild(button);
        }
    }
}
