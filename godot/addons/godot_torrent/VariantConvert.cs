#nullable enable
using System.Collections.Generic;
using System.Linq;
using Godot;
using GArray = Godot.Collections.Array;
using GDictionary = Godot.Collections.Dictionary;

namespace GodotTorrent.Addon;

/// <summary>Plain values (as the library's integration types make them) to Variants and back.</summary>
internal static class VariantConvert
{
    public static Variant From(object? value) => value switch
    {
        null => default,
        string s => s,
        long l => l,
        int i => i,
        double d => d,
        bool b => b,
        string[] strings => strings,
        IReadOnlyDictionary<string, object?> dictionary => ToDictionary(dictionary),
        IReadOnlyList<object?> list => ToArray(list),
        _ => value.ToString() ?? string.Empty,
    };

    public static GDictionary ToDictionary(IReadOnlyDictionary<string, object?> values)
    {
        var result = new GDictionary();
        foreach (var (key, item) in values)
        {
            result[key] = From(item);
        }

        return result;
    }

    public static GArray ToArray(IReadOnlyList<object?> values)
    {
        var result = new GArray();
        foreach (var item in values)
        {
            result.Add(From(item));
        }

        return result;
    }

    public static Variant[] Args(IReadOnlyList<object?> values)
    {
        var result = new Variant[values.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = From(values[i]);
        }

        return result;
    }

    public static object? ToObject(Variant value) => value.VariantType switch
    {
        Variant.Type.Nil => null,
        Variant.Type.Bool => value.AsBool(),
        Variant.Type.Int => value.AsInt64(),
        Variant.Type.Float => value.AsDouble(),
        Variant.Type.String or Variant.Type.StringName => value.AsString(),
        Variant.Type.PackedStringArray => value.AsStringArray(),
        Variant.Type.Array => value.AsGodotArray().Select(ToObject).ToList(),
        Variant.Type.Dictionary => ToPlain(value.AsGodotDictionary()),
        _ => value.AsString(),
    };

    public static List<KeyValuePair<string, object?>> ToPlain(GDictionary values) =>
        values.Select(p => KeyValuePair.Create(p.Key.AsString(), ToObject(p.Value))).ToList();
}
