namespace GodotTorrent.Tests.Integration;

/// <summary>Checks that a value converts to a Godot Variant as it is (what the addon's glue relies on).</summary>
internal static class VariantAssert
{
    public static void Friendly(object? value, string where = "value")
    {
        switch (value)
        {
            case string or long or double or bool:
                return;
            case IReadOnlyDictionary<string, object?> dictionary:
                foreach (var (key, item) in dictionary)
                {
                    Friendly(item, $"{where}[\"{key}\"]");
                }

                return;
            case IReadOnlyList<object?> list:
                for (int i = 0; i < list.Count; i++)
                {
                    Friendly(list[i], $"{where}[{i}]");
                }

                return;
            default:
                Assert.Fail($"{where} is {(value is null ? "null" : value.GetType().Name)}, which is not Variant-friendly (string, long, double, bool, dictionary, list)");
                return;
        }
    }

    public static void Args(IReadOnlyList<object?> args, params Type[] types)
    {
        Assert.Equal(types.Length, args.Count);
        for (int i = 0; i < types.Length; i++)
        {
            Friendly(args[i], $"arg {i}");
            Assert.IsAssignableFrom(types[i], args[i]);
        }
    }
}
