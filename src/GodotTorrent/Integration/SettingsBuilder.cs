using System.Collections;
using System.Globalization;
using System.Net;
using System.Text.Json;
using GodotTorrent.Session;
using GodotTorrent.Session.Settings;

namespace GodotTorrent.Integration;

/// <summary>
/// Builds <see cref="SessionSettings"/> from simple values, as GDScript's
/// <c>start_session_with_settings({"listen_port": 6881, ...})</c> or a JSON config file give
/// them. Keys are snake_case (<see cref="Keys"/>); an unknown key, a value of the wrong type or
/// an invalid value throws <see cref="TorrentException"/> with <see cref="ErrorCode.InvalidArgument"/>
/// naming it: nothing is silently ignored. Integers may arrive as whole-valued floats (Godot's
/// JSON parser gives floats), durations are seconds, lists may be any enumerable of strings.
/// </summary>
public static class SettingsBuilder
{
    private static readonly Dictionary<string, SettingDescriptor> Table =
        SessionSettingsSchema.All.Where(s => s.Key is not null).ToDictionary(s => s.Key!, StringComparer.Ordinal);

    /// <summary>Every key <see cref="Build"/> understands, sorted.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Table.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// <paramref name="baseline"/> (default <see cref="SessionSettings.Default"/>) with every entry of
    /// <paramref name="values"/> applied, validated.
    /// </summary>
    public static SessionSettings Build(IEnumerable<KeyValuePair<string, object?>> values, SessionSettings? baseline = null)
    {
        var settings = Apply(values, baseline);
        settings.Validate();
        return settings;
    }

    /// <summary>Like <see cref="Build"/> but not validated: each value is only converted to its setting's type.</summary>
    internal static SessionSettings Apply(IEnumerable<KeyValuePair<string, object?>> values, SessionSettings? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var settings = baseline ?? SessionSettings.Default;
        foreach (var (key, value) in values)
        {
            if (key is null || !Table.TryGetValue(key, out var setting))
            {
                throw Invalid($"Unknown setting '{key}'. Known settings: {string.Join(", ", Keys)}.");
            }

            settings = setting.With(settings, FromValue(setting, value, key));
        }

        return settings;
    }

    /// <summary>Like <see cref="Build"/>, from a JSON object such as <c>{"listen_port": 6881, "enable_dht": false}</c>.</summary>
    public static SessionSettings BuildFromJson(string json, SessionSettings? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("Settings JSON must be an object of setting names to values.");
            }

            return Build(document.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, FromJson(p.Value))).ToList(), baseline);
        }
        catch (JsonException e)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"Settings JSON is malformed: {e.Message}", e);
        }
    }

    /// <summary>A JSON value as the plain values <see cref="Build"/> takes (null, bool, long or double, string, lists, dictionaries).</summary>
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => element.TryGetInt64(out long l) ? l : element.GetDouble(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        _ => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
    };

    /// <summary>
    /// Every keyed setting of <paramref name="settings"/> as the plain value <see cref="Build"/>
    /// takes for it (integers as <see cref="long"/>, durations as seconds, choices by snake_case name).
    /// </summary>
    internal static Dictionary<string, object?> ToValues(SessionSettings settings) =>
        Table.Values.ToDictionary(s => s.Key!, s => ToValue(s, s.Get(settings)), StringComparer.Ordinal);

    private static object? FromValue(SettingDescriptor setting, object? value, string key) => setting.Kind switch
    {
        SettingKind.Int32 => Int(value, key),
        SettingKind.Int64 => Long(value, key),
        SettingKind.Bool => Bool(value, key),
        SettingKind.Text => String(value, key),
        SettingKind.Duration => Seconds(value, key),
        SettingKind.Choice => Choice(setting.ValueType, value, key),
        SettingKind.Flags => System.Enum.ToObject(setting.ValueType, Long(value, key)),
        SettingKind.Addresses => Strings(value, key).Select(a => Address(a, key)).ToArray(),
        SettingKind.Strings => Strings(value, key),
        _ => throw new InvalidOperationException($"{setting.Name} has no dictionary key."),
    };

    private static object? ToValue(SettingDescriptor setting, object? value) => setting.Kind switch
    {
        SettingKind.Int32 => (long)(int)value!,
        SettingKind.Duration => ((TimeSpan)value!).TotalSeconds,
        SettingKind.Choice => SnakeCase(value!.ToString()!),
        SettingKind.Flags => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        SettingKind.Addresses => ((IReadOnlyList<IPAddress>)value!).Select(a => a.ToString()).ToArray(),
        SettingKind.Strings => ((IReadOnlyList<string>)value!).ToArray(),
        _ => value,
    };

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));

    private static long Long(object? value, string key) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        uint u => u,
        double d when double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) <= 9.0e15 => (long)d,
        float f when float.IsFinite(f) && MathF.Floor(f) == f && Math.Abs(f) <= 9.0e15f => (long)f,
        _ => throw WrongType(key, "an integer", value),
    };

    private static int Int(object? value, string key)
    {
        long l = Long(value, key);
        return l is >= int.MinValue and <= int.MaxValue ? (int)l : throw Invalid($"Invalid setting '{key}': {l} is out of range.");
    }

    private static bool Bool(object? value, string key) => value is bool b ? b : throw WrongType(key, "true or false", value);

    private static string String(object? value, string key) => value is string s ? s : throw WrongType(key, "a string", value);

    private static TimeSpan Seconds(object? value, string key)
    {
        double seconds = value switch
        {
            double d when double.IsFinite(d) => d,
            float f when float.IsFinite(f) => f,
            long or int or short or byte or uint => Long(value, key),
            _ => throw WrongType(key, "a number of seconds", value),
        };
        return seconds is > 0 and <= 86400 * 365 ? TimeSpan.FromSeconds(seconds) : throw Invalid($"Invalid setting '{key}': {seconds.ToString(CultureInfo.InvariantCulture)} seconds must be positive and at most a year.");
    }

    private static string[] Strings(object? value, string key)
    {
        if (value is string || value is not IEnumerable items)
        {
            throw WrongType(key, "a list of strings", value);
        }

        var result = new List<string>();
        foreach (var item in items)
        {
            result.Add(item as string ?? throw WrongType(key, "a list of strings", item));
        }

        return [.. result];
    }

    private static IPAddress Address(string text, string key) =>
        IPAddress.TryParse(text, out var address) ? address : throw Invalid($"Invalid setting '{key}': '{text}' is not an IP address.");

    private static object Choice(Type type, object? value, string key)
    {
        var text = String(value, key).Replace("_", string.Empty, StringComparison.Ordinal);
        return System.Enum.TryParse(type, text, ignoreCase: true, out var result) && System.Enum.IsDefined(type, result!) && text.Length > 0 && !char.IsDigit(text[0])
            ? result!
            : throw Invalid($"Invalid setting '{key}': '{value}' is not one of {string.Join(", ", System.Enum.GetNames(type))}.");
    }

    private static TorrentException WrongType(string key, string expected, object? value) =>
        Invalid($"Invalid setting '{key}': expected {expected}, got {Describe(value)}.");

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"the string \"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => $"{f.ToString(null, CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        _ => value.GetType().Name,
    };

    private static TorrentException Invalid(string message) => new(ErrorCode.InvalidArgument, message);
}
