using System.Text;

namespace GodotTorrent.Metainfo;

/// <summary>RFC 3986 percent-encoding of UTF-8 text and raw bytes, as magnet links and tracker URLs carry them.</summary>
internal static class PercentEncoding
{
    private const string HexDigits = "0123456789ABCDEF";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True for the RFC 3986 unreserved characters, which never need escaping.</summary>
    public static bool IsUnreserved(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    /// <summary>
    /// Appends <paramref name="text"/> with every character outside the unreserved set and
    /// <paramref name="alsoPlain"/> written as upper-case <c>%XX</c> UTF-8 bytes.
    /// </summary>
    public static void Append(StringBuilder builder, string text, string alsoPlain)
    {
        // Lone surrogates cannot round-trip through UTF-8 anyway; U+FFFD is the least surprising stand-in.
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            char c = (char)b;
            if (b < 0x80 && (IsUnreserved(c) || alsoPlain.Contains(c, StringComparison.Ordinal)))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 15]);
            }
        }
    }

    /// <summary>
    /// Appends raw <paramref name="bytes"/> (an info-hash or peer id in a tracker announce, BEP 3)
    /// with every byte outside the unreserved set written as upper-case <c>%XX</c>.
    /// </summary>
    public static void AppendBytes(StringBuilder builder, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b < 0x80 && IsUnreserved((char)b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 15]);
            }
        }
    }

    /// <summary>
    /// Decodes <c>%XX</c> escapes (either case) of <paramref name="text"/> as UTF-8; with
    /// <paramref name="plusIsSpace"/>, '+' means a space as in HTML form encoding. On failure
    /// <paramref name="errorIndex"/> is the index in <paramref name="text"/> of the bad escape,
    /// or 0 when the bytes are not valid UTF-8.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, bool plusIsSpace, out string value, out int errorIndex)
    {
        value = string.Empty;
        errorIndex = 0;
        bool plain = true;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    errorIndex = i;
                    return false;
                }

                plain = false;
            }
            else if (c >= 0x80 || (c == '+' && plusIsSpace))
            {
                plain = false;
            }
        }

        if (plain)
        {
            value = text.ToString();
            return true;
        }

        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(text.ToArray());
        }
        catch (EncoderFallbackException)
        {
            return false;
        }

        // Escapes are ASCII, so they sit unchanged in the UTF-8 bytes and shrink in place.
        int write = 0;
        for (int read = 0; read < bytes.Length; read++)
        {
            byte b = bytes[read];
            if (b == '%')
            {
                b = (byte)((HexValue(bytes[read + 1]) << 4) | HexValue(bytes[read + 2]));
                read += 2;
            }
            else if (b == '+' && plusIsSpace)
            {
                b = (byte)' ';
            }

            bytes[write++] = b;
        }

        try
        {
            value = StrictUtf8.GetString(bytes, 0, write);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static int HexValue(byte digit) => digit switch
    {
        >= (byte)'0' and <= (byte)'9' => digit - '0',
        >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
        _ => digit - 'A' + 10,
    };
}
