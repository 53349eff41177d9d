namespace GodotTorrent.Session.Settings;

/// <summary>
/// One <see cref="SessionSettings"/> property described once: its name, kind, default, rule,
/// whether saved state keeps it and its snake_case key. Validation, saved state and the Godot
/// dictionary all read this instead of listing the settings again.
/// </summary>
internal sealed class SettingDescriptor
{
    private readonly Func<SessionSettings, object?> _get;
    private readonly Func<SessionSettings, object?, SessionSettings> _with;
    private readonly Func<SessionSettings, string?> _check;

    public SettingDescriptor(string name, SettingKind kind, Type valueType, string? key, bool persisted, Func<SessionSettings, object?> get, Func<SessionSettings, object?, SessionSettings> with, Func<SessionSettings, string?> check)
    {
        Name = name;
        Kind = kind;
        ValueType = valueType;
        Key = key;
        Persisted = persisted;
        _get = get;
        _with = with;
        _check = check;
    }

    /// <summary>The <see cref="SessionSettings"/> property, as named in validation errors.</summary>
    public string Name { get; }

    public SettingKind Kind { get; }

    /// <summary>The property's type (the enum type for <see cref="SettingKind.Choice"/> and <see cref="SettingKind.Flags"/>).</summary>
    public Type ValueType { get; }

    /// <summary>The snake_case key of the Godot dictionary and JSON config; null when it has none.</summary>
    public string? Key { get; }

    /// <summary>Whether the settings entry of saved session state keeps it.</summary>
    public bool Persisted { get; }

    /// <summary>The key in saved state (durations were always written in milliseconds, so theirs say so).</summary>
    public string? StateKey => !Persisted ? null : Kind == SettingKind.Duration ? Key + "_ms" : Key;

    public object? Default => _get(SessionSettings.Default);

    public object? Get(SessionSettings settings) => _get(settings);

    /// <summary>A copy of <paramref name="settings"/> holding <paramref name="value"/> (of <see cref="ValueType"/>).</summary>
    public SessionSettings With(SessionSettings settings, object? value) => _with(settings, value);

    /// <summary>The rule <paramref name="settings"/> breaks for this setting, or null when it keeps it.</summary>
    public string? Check(SessionSettings settings) => _check(settings);
}
