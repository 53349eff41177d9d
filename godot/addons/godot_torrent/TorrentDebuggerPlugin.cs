#if TOOLS
#nullable enable
using System.Collections.Generic;
using Godot;
using GodotTorrent.Integration;

namespace GodotTorrent.Addon;

/// <summary>
/// The editor's debugger side: a "Torrents" tab in each debug session's bottom panel, filled
/// from the <c>godot_torrent:torrents</c> messages the running game sends (the library's
/// <c>DebuggerMessages</c>).
/// </summary>
[Tool]
public partial class TorrentDebuggerPlugin : EditorDebuggerPlugin
{
    private readonly Dictionary<int, TorrentDebuggerPanel> _panels = [];

    /// <inheritdoc/>
    public override bool _HasCapture(string capture) => capture == DebuggerMessages.Prefix;

    /// <inheritdoc/>
    public override bool _Capture(string message, global::Godot.Collections.Array data, int sessionId)
    {
        if (message != DebuggerMessages.Torrents)
        {
            return false;
        }

        if (_panels.TryGetValue(sessionId, out var panel))
        {
            var rows = new List<object?>();
            foreach (var item in data)
            {
                rows.Add(VariantConvert.ToObject(item));
            }

            panel.ShowRows(DebuggerMessages.Decode(rows));
        }

        return true;
    }

    /// <inheritdoc/>
    public override void _SetupSession(int sessionId)
    {
        var panel = new TorrentDebuggerPanel { Name = "Torrents" };
        _panels[sessionId] = panel;
        GetSession(sessionId).AddSessionTab(panel);
    }
}
#endif
