#if TOOLS
#nullable enable
using System.Collections.Generic;
using Godot;
using GodotTorrent.Integration;

namespace GodotTorrent.Addon;

/// <summary>The debugger tab: one row per torrent of the running game, with progress and rates.</summary>
[Tool]
public partial class TorrentDebuggerPanel : VBoxContainer
{
    private static readonly string[] Columns = ["Torrent", "State", "Progress", "Down KiB/s", "Up KiB/s", "Peers"];
    private readonly Tree _tree = new();
    private readonly Label _summary = new() { Text = "No torrents in the running game yet." };

    /// <summary>Builds the tab.</summary>
    public TorrentDebuggerPanel()
    {
        _tree.Columns = Columns.Length;
        _tree.ColumnTitlesVisible = true;
        _tree.HideRoot = true;
        _tree.SizeFlagsVertical = SizeFlags.ExpandFill;
        for (int i = 0; i < Columns.Length; i++)
        {
            _tree.SetColumnTitle(i, Columns[i]);
            _tree.SetColumnExpand(i, i == 0);
        }

        AddChild(_summary);
        AddChild(_tree);
    }

    /// <summary>Replaces the rows.</summary>
    public void ShowRows(IReadOnlyList<DebuggerTorrentRow> rows)
    {
        _tree.Clear();
        var root = _tree.CreateItem();
        long down = 0, up = 0;
        foreach (var row in rows)
        {
            var item = _tree.CreateItem(root);
            item.SetText(0, row.Name);
            item.SetTooltipText(0, row.InfoHash);
            item.SetText(1, row.State);
            item.SetText(2, $"{row.Progress * 100:0.0} %");
            item.SetText(3, $"{row.DownloadRate / 1024.0:0.0}");
            item.SetText(4, $"{row.UploadRate / 1024.0:0.0}");
            item.SetText(5, row.Peers.ToString(System.Globalization.CultureInfo.InvariantCulture));
            down += row.DownloadRate;
            up += row.UploadRate;
        }

        _summary.Text = $"{rows.Count} torrent(s), {down / 1024.0:0.0} KiB/s down, {up / 1024.0:0.0} KiB/s up";
    }
}
#endif
