#nullable enable
using Godot;
using GodotTorrent.Integration;

namespace GodotTorrent.Addon;

/// <summary>An addon setting as Godot's property info (for the inspector and the project settings dialog).</summary>
internal static class AddonPropertyInfo
{
    public static global::Godot.Collections.Dictionary Describe(AddonSetting setting, string name) => new()
    {
        ["name"] = name,
        ["type"] = (int)TypeOf(setting.Default),
        ["hint"] = (int)(setting.Hint switch
        {
            AddonSettingHint.Range => PropertyHint.Range,
            AddonSettingHint.Enum => PropertyHint.Enum,
            AddonSettingHint.Flags => PropertyHint.Flags,
            _ => PropertyHint.None, // Folders too: Godot's folder picker offers res:// paths, which exported games cannot write.
        }),
        ["hint_string"] = setting.HintText,
        ["usage"] = (int)PropertyUsageFlags.Default,
    };

    private static Variant.Type TypeOf(object value) => value switch
    {
        bool => Variant.Type.Bool,
        long or int => Variant.Type.Int,
        double => Variant.Type.Float,
        string[] => Variant.Type.PackedStringArray,
        _ => Variant.Type.String,
    };
}
