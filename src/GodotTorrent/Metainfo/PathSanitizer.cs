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

        var builder = new StringBuilder(component.Length);
        foreach (char c in component)
        {
            builder.Append(c < 0x20 || c == 0x7f || "/\\:*?\"<>|".Contains(c, StringComparison.Ordinal) ? '_' : c);
        }

        // Windows drops trailing dots and spaces, which would make two names collide or a name empty.
        string result = builder.ToString().TrimEnd('.', ' ');
        if (result.Length == 0)
        {
            return "_";
        }

        string stem = result.Split('.')[0];
        if (DeviceNames.Contains(stem, StringComparer.OrdinalIgnoreCase))
        {
            result = "_" + result;
        }

        return Truncate(result);
    }

    /// <summary>Sanitises a list of components and joins them with '/'; null when nothing is left.</summary>
    public static string? SanitizePath(IEnumerable<string> components)
    {
        var parts = components.Select(SanitizeComponent).Where(p => p is not null).ToList();
        return parts.Count == 0 ? null : string.Join('/', parts);
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

        string stem = name[..^extension.Length];
        while (Encoding.UTF8.GetByteCount(stem) + Encoding.UTF8.GetByteCount(extension) > MaxComponentBytes)
        {
            stem = stem[..^(char.IsLowSurrogate(stem[^1]) && stem.Length > 1 ? 2 : 1)];
        }

        return stem + extension;
    }
}
