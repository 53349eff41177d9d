using System.Net;
using GodotTorrent.Bencoding;

namespace GodotTorrent.Session.Settings;

/// <summary>
/// The "settings" dictionary of saved session state, written and read from
/// <see cref="SessionSettingsSchema"/>: every persisted setting under its state key.
/// </summary>
internal static class SettingsStateCodec
{
    public static BDictionary Encode(SessionSettings settings)
    {
        var d = new BDictionary();
        foreach (var setting in SessionSettingsSchema.All.Where(s => s.Persisted))
        {
            d.Set(setting.StateKey!, ToBencode(setting, setting.Get(settings)));
        }

        return d;
    }

    // Missing keys keep their defaults, so state written before a setting existed still loads.
    // Not validated here: the caller validates the whole settings once the IP filter is added.
    public static SessionSettings Decode(BDictionary d)
    {
        var settings = SessionSettings.Default;
        foreach (var setting in SessionSettingsSchema.All.Where(s => s.Persisted))
        {
            if (d.TryGetValue(setting.StateKey!, out var value))
            {
                settings = setting.With(settings, FromBencode(setting, value));
            }
        }

        return settings;
    }

    private static BValue ToBencode(SettingDescriptor setting, object? value) => setting.Kind switch
    {
        SettingKind.Int32 => new BInteger((int)value!),
        SettingKind.Int64 => new BInteger((long)value!),
        SettingKind.Bool => new BInteger((bool)value! ? 1 : 0),
        SettingKind.Text => new BString((string)value!),
        SettingKind.Duration => new BInteger((long)((TimeSpan)value!).TotalMilliseconds),
        SettingKind.Choice or SettingKind.Flags => new BInteger(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
        SettingKind.Addresses => new BList(((IReadOnlyList<IPAddress>)value!).Select(a => (BValue)new BString(a.ToString()))),
        SettingKind.Strings => new BList(((IReadOnlyList<string>)value!).Select(n => (BValue)new BString(n))),
        _ => throw new InvalidOperationException($"{setting.Name} is not persisted."),
    };

    private static object FromBencode(SettingDescriptor setting, BValue value) => setting.Kind switch
    {
        SettingKind.Int32 => Integer(setting, value) is var i and >= int.MinValue and <= int.MaxValue ? (int)i : throw Corrupt($"{setting.StateKey} is out of range"),
        SettingKind.Int64 => Integer(setting, value),
        SettingKind.Bool => Integer(setting, value) != 0,
        SettingKind.Text => (value as BString)?.Text ?? throw Corrupt($"{setting.StateKey} is not a string"),
        SettingKind.Duration => TimeSpan.FromMilliseconds(Integer(setting, value)),
        SettingKind.Choice or SettingKind.Flags => Enum.ToObject(setting.ValueType, Integer(setting, value)),
        SettingKind.Addresses => Texts(setting, value).Select(a => IPAddress.TryParse(a, out var ip) ? ip : throw Corrupt("a listen address is malformed")).ToArray(),
        SettingKind.Strings => Texts(setting, value).ToArray(),
        _ => throw new InvalidOperationException($"{setting.Name} is not persisted."),
    };

    private static long Integer(SettingDescriptor setting, BValue value) =>
        (value as BInteger)?.Value ?? throw Corrupt($"{setting.StateKey} is not an integer");

    private static IEnumerable<string> Texts(SettingDescriptor setting, BValue value) =>
        (value as BList ?? throw Corrupt($"{setting.StateKey} is not a list")).Select(v => (v as BString)?.Text ?? throw Corrupt($"an entry of {setting.StateKey} is not a string"));

    private static TorrentException Corrupt(string why) => new(ErrorCode.InvalidSessionState, $"The session state is corrupt: {why}.");
}
