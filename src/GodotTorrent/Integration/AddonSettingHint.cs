namespace GodotTorrent.Integration;

/// <summary>How Godot's inspector edits an <see cref="AddonSetting"/> (Godot's <c>PropertyHint</c>).</summary>
public enum AddonSettingHint
{
    /// <summary>A plain field.</summary>
    None = 0,

    /// <summary><see cref="AddonSetting.HintText"/> is <c>min,max</c>.</summary>
    Range = 1,

    /// <summary><see cref="AddonSetting.HintText"/> lists the allowed strings, comma-separated.</summary>
    Enum = 2,

    /// <summary><see cref="AddonSetting.HintText"/> lists <c>Name:bit</c> pairs, comma-separated.</summary>
    Flags = 3,

    /// <summary>A folder path (<c>user://</c> or absolute).</summary>
    Folder = 4,
}
