namespace GodotTorrent.Session.Settings;

/// <summary>How a setting's value is written in saved state and in the Godot dictionary.</summary>
internal enum SettingKind
{
    /// <summary>An <see cref="int"/>: an integer in both.</summary>
    Int32,

    /// <summary>A <see cref="long"/>: an integer in both.</summary>
    Int64,

    /// <summary>A <see cref="bool"/>: 0/1 in state, true/false in the dictionary.</summary>
    Bool,

    /// <summary>A <see cref="string"/>.</summary>
    Text,

    /// <summary>A <see cref="TimeSpan"/>: milliseconds in state (key suffixed <c>_ms</c>), seconds in the dictionary.</summary>
    Duration,

    /// <summary>An enum of named choices: its number in state, its snake_case name in the dictionary.</summary>
    Choice,

    /// <summary>A flags enum: its number in both.</summary>
    Flags,

    /// <summary>A list of IP addresses, written as text.</summary>
    Addresses,

    /// <summary>A list of strings.</summary>
    Strings,

    /// <summary>The IP filter: neither persisted with the settings (state keeps its rules apart) nor a dictionary key.</summary>
    IpFilter,
}
