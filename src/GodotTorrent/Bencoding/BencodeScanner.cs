namespace GodotTorrent.Bencoding;

/// <summary>
/// Strict steps over single values for a <see cref="BencodeItemReader"/>: each accepts only
/// canonical input that <see cref="BencodeReader"/> accepts too, and answers false (its position
/// unchanged) for anything else, never an error: the decoder reads such input and reports it.
/// </summary>
internal static class BencodeScanner
{
    // 18 digits always fit in a long: longer integers are left to the decoder's overflow check.
    private const int MaxIntegerDigits = 18;

    // 9 digits always fit in an int: longer lengths are over every limit anyway.
    private const int MaxLengthDigits = 9;

    /// <summary>Steps over <paramref name="b"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> input, ref int pos, byte b)
    {
        if ((uint)pos >= (uint)input.Length || input[pos] != b)
        {
            return false;
        }

        pos++;
        return true;
    }

    /// <summary>Steps over a non-negative integer (<c>i0e</c>, <c>i42e</c>) that fits in a long.</summary>
    public static bool TryReadNonNegativeInteger(ReadOnlySpan<byte> input, ref int pos, out long value)
    {
        value = 0;
        int p = pos;
        if (!TryRead(input, ref p, (byte)'i') || (uint)p >= (uint)input.Length)
        {
            return false;
        }

        if (input[p] == (byte)'0')
        {
            if (!TryRead(input, ref p, (byte)'0') || !TryRead(input, ref p, (byte)'e'))
            {
                return false;
            }

            pos = p;
            return true;
        }

        int first = p;
        long result = 0;
        while (p < input.Length && IsDigit(input[p]) && p - first < MaxIntegerDigits)
        {
            result = (result * 10) + input[p] - '0';
            p++;
        }

        if (p == first || !TryRead(input, ref p, (byte)'e'))
        {
            return false;
        }

        value = result;
        pos = p;
        return true;
    }

    /// <summary>Steps over a string of at most <paramref name="maxLength"/> bytes, giving where its bytes are.</summary>
    public static bool TryReadString(ReadOnlySpan<byte> input, ref int pos, int maxLength, out int start, out int length)
    {
        start = 0;
        length = 0;
        int p = pos;
        int count = 0;
        while (p < input.Length && IsDigit(input[p]) && p - pos < MaxLengthDigits)
        {
            count = (count * 10) + input[p] - '0';
            p++;
        }

        // No digits, a leading zero, or no colon: not a canonical string.
        if (p == pos || (input[pos] == (byte)'0' && p - pos > 1) || !TryRead(input, ref p, (byte)':')
            || count > maxLength || count > input.Length - p)
        {
            return false;
        }

        start = p;
        length = count;
        pos = p + count;
        return true;
    }

    /// <summary>Steps over a string whose bytes are <paramref name="key"/>.</summary>
    public static bool TryReadKey(ReadOnlySpan<byte> input, ref int pos, int maxLength, ReadOnlySpan<byte> key)
    {
        int p = pos;
        if (!TryReadString(input, ref p, maxLength, out int start, out int length) || !input.Slice(start, length).SequenceEqual(key))
        {
            return false;
        }

        pos = p;
        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
