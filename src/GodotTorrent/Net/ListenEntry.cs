using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GodotTorrent.Net;

/// <summary>
/// One entry of <c>SessionSettings.ListenInterfaces</c> or <c>OutgoingInterfaces</c>, in the
/// forms libtorrent's <c>listen_interfaces</c> takes: an interface name (<c>eth0</c>) or an
/// address (<c>192.168.1.5</c>, <c>::1</c>, <c>[::1]</c>), with an optional port
/// (<c>eth0:6881</c>, <c>192.168.1.5:6881</c>, <c>[::1]:6881</c>).
/// </summary>
/// <param name="InterfaceName">The interface named, or null when the entry is an address.</param>
/// <param name="Address">The address given, or null when the entry is a name.</param>
/// <param name="Port">The port given, or null for the session's <c>ListenPort</c>.</param>
internal sealed record ListenEntry(string? InterfaceName, IPAddress? Address, int? Port)
{
    // Linux caps names at 15 bytes; Windows' friendly names run longer. Enough for both.
    private const int MaxNameLength = 256;

    /// <summary>Reads <paramref name="text"/>; null with <paramref name="error"/> saying why when it is not an entry.</summary>
    public static ListenEntry? Parse(string? text, bool allowPort, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text) || text.Trim().Length != text.Length)
        {
            error = $"'{text}' is not an interface name or address (empty, or spaces around it)";
            return null;
        }

        string host = text;
        string? port = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                error = $"'{text}' is not [IPv6 address] or [IPv6 address]:port";
                return null;
            }

            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"'{host}' in '{text}' is not an IPv6 address";
                return null;
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            port = text[(colon + 1)..];
        }

        int? number = null;
        if (port is not null)
        {
            if (!allowPort)
            {
                error = $"'{text}' has a port; only a name or address is wanted here";
                return null;
            }

            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > 65535)
            {
                error = $"the port of '{text}' is not a number from 0 to 65535";
                return null;
            }

            number = value;
        }

        if (StrictAddress(host) is { } address)
        {
            return new ListenEntry(null, address, number);
        }

        if (host.Length == 0 || host.Length > MaxNameLength || host.Any(c => char.IsControl(c) || c is ':' or '[' or ']' or ',' or '/'))
        {
            error = $"'{text}' is not an interface name or address";
            return null;
        }

        return new ListenEntry(host, null, number);
    }

    /// <summary>Whether every entry of <paramref name="entries"/> reads; the first error otherwise.</summary>
    public static string? Check(IReadOnlyList<string>? entries, bool allowPort)
    {
        if (entries is null)
        {
            return "must not be null";
        }

        foreach (var entry in entries)
        {
            if (Parse(entry, allowPort, out string? error) is null)
            {
                return allowPort
                    ? $"must hold interface names or addresses, each with an optional port ({error})"
                    : $"must hold interface names or addresses ({error})";
            }
        }

        return null;
    }

    /// <summary>
    /// An address only in its full form: IPAddress.TryParse takes "1234" as 0.0.4.210, which would
    /// turn a numeric interface name into an address nobody meant.
    /// </summary>
    private static IPAddress? StrictAddress(string host)
    {
        if (!IPAddress.TryParse(host, out var address))
        {
            return null;
        }

        bool full = address.AddressFamily == AddressFamily.InterNetworkV6
            ? host.Contains(':', StringComparison.Ordinal)
            : host.Count(c => c == '.') == 3 && host.All(c => char.IsAsciiDigit(c) || c == '.');
        return full ? address : null;
    }
}
