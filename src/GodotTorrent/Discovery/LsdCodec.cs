using System.Globalization;
using System.Net;
using System.Text;
using GodotTorrent.Wire;

namespace GodotTorrent.Discovery;

/// <summary>
/// BEP 14 messages: <c>BT-SEARCH * HTTP/1.1</c> with <c>Host</c>, <c>Port</c>, one <c>Infohash</c>
/// header per torrent and a <c>cookie</c> (as libtorrent sends). Parsing is strict and bounded:
/// anything out of shape is refused, never half-read.
/// </summary>
internal static class LsdCodec
{
    /// <summary>The most a datagram may hold (an Ethernet frame's payload); bigger ones are refused unread.</summary>
    public const int MaxDatagram = 1472;

    /// <summary>The most info-hashes one message carries; more is refused.</summary>
    public const int MaxInfoHashes = 16;

    /// <summary>The most header lines one message may have.</summary>
    public const int MaxHeaders = 32;

    /// <summary>The longest line accepted, the request line included.</summary>
    public const int MaxLineLength = 256;

    /// <summary>The longest cookie accepted (libtorrent's is 8 hex digits).</summary>
    public const int MaxCookieLength = 64;

    private const string RequestLine = "BT-SEARCH * HTTP/1.1";

    /// <summary>The <c>Host</c> value for a group: <c>239.192.152.143:6771</c> or <c>[ff15::efc0:988f]:6771</c>.</summary>
    public static string HostOf(IPEndPoint group) => group.ToString();

    /// <summary>Writes one message; <paramref name="infoHashes"/> must hold 1 to <see cref="MaxInfoHashes"/> hashes.</summary>
    public static byte[] Encode(IPEndPoint group, int port, IReadOnlyList<Id20> infoHashes, string cookie)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(infoHashes.Count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(infoHashes.Count, MaxInfoHashes);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var text = new StringBuilder(64 + (infoHashes.Count * 52));
        text.Append(RequestLine).Append("\r\n");
        text.Append("Host: ").Append(HostOf(group)).Append("\r\n");
        text.Append("Port: ").Append(port.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        foreach (var hash in infoHashes)
        {
            text.Append("Infohash: ").Append(Convert.ToHexString(hash.ToArray()).ToLowerInvariant()).Append("\r\n");
        }

        text.Append("cookie: ").Append(cookie).Append("\r\n");
        // BEP 14 ends the message with two blank lines.
        text.Append("\r\n\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>Reads one datagram; null when it is not a well-formed announce (the caller counts it).</summary>
    public static LsdMessage? TryDecode(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length is 0 or > MaxDatagram)
        {
            return null;
        }

        int port = 0;
        string? cookie = null;
        var hashes = new List<Id20>();
        bool first = true;
        int headers = 0;
        var rest = datagram;
        while (rest.Length > 0)
        {
            int end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (line.Length > MaxLineLength)
            {
                return null;
            }

            if (first)
            {
                if (!line.SequenceEqual(RequestLineBytes))
                {
                    return null;
                }

                first = false;
                continue;
            }

            if (line.Length == 0)
            {
                break;
            }

            if (++headers > MaxHeaders || !ReadHeader(line, ref port, ref cookie, hashes))
            {
                return null;
            }
        }

        return first || port == 0 || hashes.Count == 0 ? null : new LsdMessage(port, hashes, cookie);
    }

    private static ReadOnlySpan<byte> RequestLineBytes => "BT-SEARCH * HTTP/1.1"u8;

    // False for a line that spoils the message: no colon, a repeated or bad Port, a bad Infohash or cookie.
    private static bool ReadHeader(ReadOnlySpan<byte> line, ref int port, ref string? cookie, List<Id20> hashes)
    {
        int colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        var name = line[..colon].Trim((byte)' ');
        var value = line[(colon + 1)..].Trim((byte)' ');
        if (Ascii.EqualsIgnoreCase(name, "port"u8))
        {
            return port == 0 && TryPort(value, out port);
        }

        if (Ascii.EqualsIgnoreCase(name, "infohash"u8))
        {
            if (hashes.Count == MaxInfoHashes || !TryHash(value, out var hash))
            {
                return false;
            }

            if (!hashes.Contains(hash))
            {
                hashes.Add(hash);
            }

            return true;
        }

        if (Ascii.EqualsIgnoreCase(name, "cookie"u8))
        {
            if (cookie is not null || value.Length is 0 or > MaxCookieLength || !Ascii.IsValid(value))
            {
                return false;
            }

            cookie = Encoding.ASCII.GetString(value);
            return true;
        }

        // Host and anything else: not needed, ignored as BEP 14 allows.
        return true;
    }

    private static bool TryPort(ReadOnlySpan<byte> value, out int port)
    {
        port = 0;
        if (value.Length is 0 or > 5)
        {
            return false;
        }

        foreach (byte b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            port = (port * 10) + (b - '0');
        }

        return port is >= 1 and <= 65535;
    }

    private static bool TryHash(ReadOnlySpan<byte> value, out Id20 hash)
    {
        hash = default;
        if (value.Length != Id20.Length * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Id20.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            int high = HexDigit(value[2 * i]);
            int low = HexDigit(value[(2 * i) + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            bytes[i] = (byte)((high << 4) | low);
        }

        hash = new Id20(bytes);
        return true;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
