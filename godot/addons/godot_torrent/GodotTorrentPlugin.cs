#if TOOLS
using Godot;

namespace GodotTorrent.Addon;

/// <summary>
/// The editor side of the addon. The node type registers itself: <see cref="TorrentSessionNode"/>
/// and the wrappers are <c>[GlobalClass]</c>, which Godot lists in "Create New Node" and knows in
/// GDScript by name (an extra <c>AddCustomType</c> would list it twice). The plugin offers the
/// shared session as an autoload named <see cref="AutoloadName"/>: enabling the plugin adds it
/// (unless the project already has one by that name), disabling the plugin removes it.
/// </summary>
[Tool]
public partial class GodotTorrentPlugin : EditorPlugin
{
    /// <summary>The autoload's name: reach the shared session as <c>/root/Torrents</c>.</summary>
    public const string AutoloadName = "Torrents";

    private const string NodeScript = "res://addons/godot_torrent/TorrentSessionNode.cs";

    /// <inheritdoc/>
    public override void _EnablePlugin()
    {
        if (!ProjectSettings.HasSetting("autoload/" + AutoloadName))
        {
            AddAutoloadSingleton(AutoloadName, NodeScript);
        }
    }

    /// <inheritdoc/>
    public override void _DisablePlugin()
    {
        if (ProjectSettings.HasSetting("autoload/" + AutoloadName))
        {
            RemoveAutoloadSingleton(AutoloadName);
        }
    }
}
#endif
