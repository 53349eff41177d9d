#if TOOLS
#nullable enable
using Godot;
using GodotTorrent.Integration;

namespace GodotTorrent.Addon;

/// <summary>
/// The editor side of the addon. The node type registers itself: <see cref="TorrentSessionNode"/>
/// and the wrappers are <c>[GlobalClass]</c>, which Godot lists in "Create New Node" and knows in
/// GDScript by name (an extra <c>AddCustomType</c> would list it twice). The plugin registers the
/// addon's settings under <c>godot_torrent/</c> in the project settings (the library's
/// <c>AddonSettings</c> table), adds the debugger tab that shows a running game's torrents, and
/// offers the shared session as an autoload named <see cref="AutoloadName"/>: enabling the plugin
/// adds it (unless the project already has one by that name), disabling the plugin removes it.
/// </summary>
[Tool]
public partial class GodotTorrentPlugin : EditorPlugin
{
    /// <summary>The autoload's name: reach the shared session as <c>/root/Torrents</c>.</summary>
    public const string AutoloadName = "Torrents";

    private const string NodeScript = "res://addons/godot_torrent/TorrentSessionNode.cs";

    private TorrentDebuggerPlugin? _debugger;

    /// <inheritdoc/>
    public override void _EnterTree()
    {
        RegisterSettings();
        _debugger = new TorrentDebuggerPlugin();
        AddDebuggerPlugin(_debugger);
    }

    /// <inheritdoc/>
    public override void _ExitTree()
    {
        if (_debugger is not null)
        {
            RemoveDebuggerPlugin(_debugger);
            _debugger = null;
        }
    }

    /// <inheritdoc/>
    public override void _EnablePlugin()
    {
        RegisterSettings();
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

    // A value equal to its initial value is not written to project.godot; the game falls back to
    // the same default (TorrentSettings.FromProjectSettings), so both agree either way.
    private static void RegisterSettings()
    {
        foreach (var setting in AddonSettings.All)
        {
            var initial = VariantConvert.From(setting.Default);
            if (!ProjectSettings.HasSetting(setting.Path))
            {
                ProjectSettings.SetSetting(setting.Path, initial);
            }

            ProjectSettings.SetInitialValue(setting.Path, initial);
            ProjectSettings.AddPropertyInfo(AddonPropertyInfo.Describe(setting, setting.Path));
            ProjectSettings.SetAsBasic(setting.Path, true);
        }
    }
}
#endif
