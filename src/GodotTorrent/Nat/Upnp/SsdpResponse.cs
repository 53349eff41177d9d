using System.Net;
using System.Text;

namespace GodotTorrent.Nat.Upnp;

/// <summary>
/// One answer to M-SEARCH (UPnP Device Architecture 1.1, section 1.3.3): an HTTP-over-UDP 200 whose
/// LOCATION names the device description. Parsed with limits: a datagram of any shape may arrive.
/// </summary>
internal sealed record SsdpResponse(Uri Location, string SearchTarget)
{
    /// <summary>The largest datagram read as a reply.</summary>
    public const int MaxBytes = 2048;

    /// <summary>The most header lines read.</summary>
    public const int MaxHeaders = 32;

    /// <summary>
    /// Reads a reply; null when it is not an SSDP 200 with a LOCATION. <paramref name="error"/> says
    /// why a reply that looked like one was refused: a LOCATION that is not http, or whose host is
    /// not <paramref name="from"/> (a device describes itself; a reply pointing elsewhere is not trusted).
    /// </summary>
    public static SsdpResponse? Parse(ReadOnlySpan<byte> datagram, IPAddress from, out string? error)
    {
        error = null;
        if (datagram.Length > MaxBytes)
        {
            return null;
        }

        string text = Encoding.Latin1.GetString(datagram);
        string[] lines = text.Split("\r\n");
        if (lines.Length < 2 || !lines[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || lines[0].Split(' ', 3) is not [_, "200", ..])
        {
            return null;
        }

        string? location = null;
        string searchTarget = string.Empty;
        for (int i = 1; i < lines.Length && i <= MaxHeaders && lines[i].Length > 0; i++)
        {
            int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = lines[i].AsSpan(0, colon).Trim();
            string value = lines[i][(colon + 1)..].Trim();
            if (name.Equals("LOCATION", StringComparison.OrdinalIgnoreCase))
            {
                location = value;
            }
            else if (name.Equals("ST", StringComparison.OrdinalIgnoreCase))
            {
                searchTarget = value;
            }
        }

        if (location is null)
        {
            return null;
        }

        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            error = $"the SSDP reply from {from} names a location that is not an http URL: {Shorten(location)}";
            return null;
        }

        if (!IPAddress.TryParse(uri.Host, out var host) || !host.Equals(from.IsIPv4MappedToIPv6 ? from.MapToIPv4() : from))
        {
            error = $"the SSDP reply from {from} points to another host: {Shorten(location)}";
            return null;
        }

        return new SsdpResponse(uri, searchTarget);
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 120), "...");
}
