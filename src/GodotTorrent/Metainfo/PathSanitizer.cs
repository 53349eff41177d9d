using System.Text;

namespace GodotTorrent.Metainfo;

/// <summary>
/// Turns path components from a stranger's torrent into names that are safe on every platform
/// Godot exports to: nothing absolute, no <c>..</c>, no separators or control characters inside
/// a component, no Windows device names, no trailing dots or spaces, no over-long names.
/// </summary>
internal static class PathSanitizer
{
    // The longest component most file systems accept, in UTF-8 bytes.
    private const int MaxComponentBytes = 240;

    // Control characters, DEL, separators and the characters Windows forbids in names.
    private static readonly System.Buffers.SearchValues<char> Forbidden = System.Buffers.SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f" +
        "\u007f/\\:*?\"<>|");

    private static readonly string[] DeviceNames =
    [
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];

    /// <summary>
    /// Sanitises one component. Returns null for components that must be dropped
    /// (empty, <c>.</c>, <c>..</c>): they would name the parent or the folder itself.
    /// </summary>
    public static string? SanitizeComponent(string component)
    {
        if (component.Length == 0 || component == "." || component == "..")
        {
            return null;
        }

        string result = component.AsSpan().IndexOfAny(Forbidden) >= 0
            ? string.Create(component.Length, component, static (span, source) =>
            {
                for (int i = 0; i < source.Length; i++)
                {
                    span[i] = Forbidden.Contains(source[i]) ? '_' : source[i];
                }
            })
            : component;

        // Windows drops trailing dots and spaces, which would make two names collide or a name empty.
        result = result.TrimEnd('.', ' ');
        if (result.Length == 0)
        {
            return "_";
        }

        int dot = result.IndexOf('.', StringComparison.Ordinal);
        var stem = dot < 0 ? result.AsSpan() : result.AsSpan(0, dot);
        if (stem.Length is 3 or 4 && IsDeviceName(stem))
        {
            result = "_" + result;
        }

        // A UTF-8 character takes at most 3 bytes per UTF-16 unit, so short names need no count.
        return result.Length * 3 <= MaxComponentBytes ? result : Truncate(result);
    }

    /// <summary>Sanitises a list of components and joins them with '/'; null when nothing is left.</summary>
    public static string? SanitizePath(IReadOnlyList<string> components)
    {
        if (components.Count == 1)
        {
            return SanitizeComponent(components[0]);
        }

        var builder = new StringBuilder();
        foreach (var component in components)
        {
            if (SanitizeComponent(component) is { } part)
            {
                builder.Append(builder.Length == 0 ? string.Empty : "/").Append(part);
            }
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    private static bool IsDeviceName(ReadOnlySpan<char> stem)
    {
        foreach (var name in DeviceNames)
        {
            if (stem.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string Truncate(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxComponentBytes)
        {
            return name;
        }

        // Keep the extension, shorten the stem at a character boundary.
        string extension = Path.GetExtension(name);
        if (Encoding.UTF8.GetByteCount(extension) > 32)
        {
            extension = string.Empty;
        }

        // The longest prefix of the stem that fits beside the extension, in one pass (trimming a
        // character at a time and counting again would be quadratic in the name's length).
        var stem = name.AsSpan(0, name.Length - extension.Length);
        int budget = MaxComponentBytes - Encoding.UTF8.GetByteCount(extension);
        int end = 0;
        while (end < stem.Length)
        {
            int width = char.IsHighSurrogate(stem[end]) && end + 1 < stem.Length && char.IsLowSurrogate(stem[end + 1]) ? 2 : 1;
            int bytes = Encoding.UTF8.GetByteCount(stem.Slice(end, width));
            if (bytes > budget)
            {
                break;
            }

            budget -= bytes;
            end += width;
        }

        return string.Concat(stem[..end], extension);
    }
}
