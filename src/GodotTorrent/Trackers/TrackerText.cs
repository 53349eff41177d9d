using System.Text;

namespace GodotTorrent.Trackers;

/// <summary>Makes text from a tracker (failure reasons, warnings) safe to show and log.</summary>
internal static class TrackerText
{
    /// <summary>Longest tracker message kept; the rest is cut.</summary>
    public const int MaxLength = 512;

    /// <summary>UTF-8 (invalid bytes replaced), control characters dropped, at most <see cref="MaxLength"/> characters.</summary>
    public static string Clean(ReadOnlySpan<byte> bytes)
    {
        // Decode a little more than we keep; multi-byte characters never need more than 4 bytes each.
        string text = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, MaxLength * 4)]);
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength));
        foreach (char c in text)
        {
            if (builder.Length == MaxLength)
            {
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}
