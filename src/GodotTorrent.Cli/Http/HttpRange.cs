using System.Globalization;

namespace GodotTorrent.Cli.Http;

/// <summary>One byte range of a <c>Range</c> header (RFC 9110 section 14), resolved against a length.</summary>
internal readonly record struct HttpRange(long Start, long Length)
{
    /// <summary>The outcome of reading a <c>Range</c> header.</summary>
    internal enum Verdict
    {
        /// <summary>No header, or a unit other than bytes: the whole file (200).</summary>
        Whole,

        /// <summary>One satisfiable range (206).</summary>
        Partial,

        /// <summary>Malformed, several ranges, or nothing of it inside the file (416).</summary>
        Unsatisfiable,
    }

    /// <summary>Reads <paramref name="header"/> (null when absent) for a file of <paramref name="length"/> bytes.</summary>
    public static Verdict Parse(string? header, long length, out HttpRange range)
    {
        range = new HttpRange(0, length);
        if (header is null)
        {
            return Verdict.Whole;
        }

        string value = header.Trim();
        if (!value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 9110 14.2: a range unit we do not know is ignored.
            return Verdict.Whole;
        }

        string spec = value[6..].Trim();
        int dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || spec.Contains(',', StringComparison.Ordinal))
        {
            // Several ranges would need multipart/byteranges; a player asks for one at a time.
            return Verdict.Unsatisfiable;
        }

        string first = spec[..dash].Trim();
        string last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            // Suffix range: the last N bytes.
            if (!TryNumber(last, out long suffix) || suffix == 0 || length == 0)
            {
                return Verdict.Unsatisfiable;
            }

            long take = Math.Min(suffix, length);
            range = new HttpRange(length - take, take);
            return Verdict.Partial;
        }

        if (!TryNumber(first, out long start) || start >= length)
        {
            return Verdict.Unsatisfiable;
        }

        long end = length - 1;
        if (last.Length != 0)
        {
            if (!TryNumber(last, out long given) || given < start)
            {
                return Verdict.Unsatisfiable;
            }

            end = Math.Min(given, length - 1);
        }

        range = new HttpRange(start, end - start + 1);
        return Verdict.Partial;
    }

    private static bool TryNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && text.Length <= 19;
}
