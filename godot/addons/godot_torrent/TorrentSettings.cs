#nullable enable
using System.Collections.Generic;
using Godot;
using GodotTorrent.Integration;

namespace GodotTorrent.Addon;

/// <summary>
/// The settings of a <see cref="TorrentSessionNode"/> as a resource, for nodes made in code or
/// scenes that need other settings than the project's: every entry of the project settings under
/// <c>godot_torrent/</c> (listen port, DHT, LSD, UPnP/NAT-PMP, encryption, limits, alert mask,
/// autosave, ...), by the same snake_case names (<c>settings.listen_port = 7000</c>). A node
/// without one reads the project settings when it starts. The list comes from the library's
/// <c>AddonSettings</c> table, so the inspector, the project settings and the node never disagree.
/// </summary>
[Tool]
[GlobalClass]
public partial class TorrentSettings : Resource
{
    private readonly Dictionary<string, Variant> _values = [];

    /// <summary>The project's settings (<c>godot_torrent/...</c>; defaults for any not set).</summary>
    public static TorrentSettings FromProjectSettings()
    {
        var settings = new TorrentSettings();
        foreach (var setting in AddonSettings.All)
        {
            if (ProjectSettings.HasSetting(setting.Path))
            {
                settings._values[setting.Key] = ProjectSettings.GetSetting(setting.Path);
            }
        }

        return settings;
    }

    /// <summary>Sets a setting and returns this resource, for settings made in code: <c>TorrentSettings.FromProjectSettings().With("listen_port", 0)</c>.</summary>
    public TorrentSettings With(string key, Variant value)
    {
        SetValue(key, value);
        return this;
    }

    /// <summary>A copy (Godot's <c>Duplicate</c> copies only stored properties).</summary>
    public TorrentSettings Copy()
    {
        var copy = new TorrentSettings();
        foreach (var (key, value) in _values)
        {
            copy._values[key] = value;
        }

        return copy;
    }

    /// <summary>A setting's value by its key (<c>listen_port</c>, ...); its default when not set.</summary>
    public Variant GetValue(string key) =>
        _values.TryGetValue(key, out var value) ? value
        : AddonSettings.Find(key) is { } setting ? VariantConvert.From(setting.Default)
        : default;

    /// <summary>Sets a setting by its key (any session setting key too, as <c>user_agent</c>); false (and an error printed) for an unknown key.</summary>
    public bool SetValue(string key, Variant value)
    {
        if (!AddonSettings.IsKnown(key))
        {
            GD.PushError($"Godot-Torrent: unknown setting '{key}'.");
            return false;
        }

        _values[key] = value;
        EmitChanged();
        return true;
    }

    /// <summary>Every setting as the plain values the library's <c>AddonSettings.BuildSession</c> takes.</summary>
    public List<KeyValuePair<string, object?>> ToValues()
    {
        var values = new List<KeyValuePair<string, object?>>();
        foreach (var setting in AddonSettings.All)
        {
            values.Add(KeyValuePair.Create(setting.Key, _values.TryGetValue(setting.Key, out var value) ? VariantConvert.ToObject(value) : setting.Default));
        }

        foreach (var (key, value) in _values)
        {
            if (AddonSettings.Find(key) is null)
            {
                values.Add(KeyValuePair.Create(key, VariantConvert.ToObject(value)));
            }
        }

        return values;
    }

    /// <inheritdoc/>
    public override global::Godot.Collections.Array<global::Godot.Collections.Dictionary> _GetPropertyList()
    {
        var properties = new global::Godot.Collections.Array<global::Godot.Collections.Dictionary>();
        string group = string.Empty;
        foreach (var setting in AddonSettings.All)
        {
            string settingGroup = setting.Path.Split('/')[1];
            if (settingGroup != group)
            {
                group = settingGroup;
                properties.Add(new global::Godot.Collections.Dictionary
                {
                    ["name"] = group.Capitalize(),
                    ["type"] = (int)Variant.Type.Nil,
                    ["usage"] = (int)PropertyUsageFlags.Group,
                    ["hint_string"] = string.Empty,
                });
            }

            properties.Add(AddonPropertyInfo.Describe(setting, setting.Key));
        }

        return properties;
    }

    /// <inheritdoc/>
    public override Variant _Get(StringName property)
    {
        string key = property;
        return AddonSettings.IsKnown(key) ? GetValue(key) : default;
    }

    /// <inheritdoc/>
    public override bool _Set(StringName property, Variant value)
    {
        string key = property;
        if (!AddonSettings.IsKnown(key))
        {
            return false;
        }

        _values[key] = value;
        EmitChanged();
        return true;
    }

    /// <inheritdoc/>
    public override bool _PropertyCanRevert(StringName property) => AddonSettings.Find(property) is not null;

    /// <inheritdoc/>
    public override Variant _PropertyGetRevert(StringName property) =>
        AddonSettings.Find(property) is { } setting ? VariantConvert.From(setting.Default) : default;
}
