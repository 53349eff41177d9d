namespace GodotTorrent.Integration;

/// <summary>
/// One setting of the Godot addon: registered in Godot's ProjectSettings under <see cref="Path"/>,
/// shown on the settings resource, and read by the session node before it starts.
/// </summary>
/// <param name="Path">The ProjectSettings path, <c>godot_torrent/&lt;group&gt;/&lt;key&gt;</c>.</param>
/// <param name="Key">A <see cref="SettingsBuilder"/> key, or one of the addon's own (see <see cref="IsSessionSetting"/>).</param>
/// <param name="Default">The default: a <see cref="long"/>, <see cref="bool"/>, <see cref="double"/>, <see cref="string"/> or <see cref="string"/> array.</param>
/// <param name="Hint">How the inspector edits it.</param>
/// <param name="HintText">The hint's text (range, choices or flags).</param>
/// <param name="Description">One line for people.</param>
public sealed record AddonSetting(string Path, string Key, object Default, AddonSettingHint Hint, string HintText, string Description)
{
    /// <summary>True when <see cref="Key"/> is a session setting; false for the addon's own (autosave, folders, pacing).</summary>
    public bool IsSessionSetting => SettingsBuilder.Keys.Contains(Key);
}
