using System.Globalization;

namespace GodotTorrent.Cli.Output;

/// <summary>Byte counts for people: parses <c>262144</c>, <c>256K</c>, <c>1MiB</c>; formats <c>1.5 MiB</c>. Binary units throughout (1K = 1024).</summary>
internal static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>
    /// Parses a whole number of bytes with an optional binary suffix: K, KB, KiB, M, MB, MiB,
    /// G, GB, GiB (any case; 1K = 1024, as piece sizes are powers of two).
    /// </summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        ReadOnlySpan<char> span = text.AsSpan().Trim();
        int digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
        {
            digits++;
        }

        if (digits == 0 || !long.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            return false;
        }

        int shift;
        switch (span[digits..].Trim().ToString().ToUpperInvariant())
        {
            case "" or "B":
                shift = 0;
                break;
            case "K" or "KB" or "KIB":
                shift = 10;
                break;
            case "M" or "MB" or "MIB":
                shift = 20;
                break;
            case "G" or "GB" or "GIB":
                shift = 30;
                break;
            default:
                return false;
        }

        if (value > long.MaxValue >> shift)
        {
            return false;
        }

        bytes = value << shift;
        return true;
    }

    /// <summary>A short size: <c>512 B</c>, <c>1.5 KiB</c>, <c>64 MiB</c>, <c>1.23 GiB</c> (three significant digits at most).</summary>
    public static string Format(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        string format = value < 10 ? "0.##" : value < 100 ? "0.#" : "0";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    /// <summary>The exact count with thousands separators: <c>67,108,864 bytes</c>.</summary>
    public static string FormatExact(long bytes) =>
        bytes.ToString("N0", CultureInfo.InvariantCulture) + (bytes == 1 ? " byte" : " bytes");
}
