using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Numerics;
using GodotTorrent.Cli.Output;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Cli.Commands;

/// <summary>Parsers and validators for option values; what they reject is a usage error (exit code 2).</summary>
internal static class CommandLineValues
{
    private const int MinPieceLength = 16 * 1024;

    /// <summary>
    /// <c>--piece-size</c>: bytes, or a binary suffix (256K, 1M, 4MiB); a power of two from 16 KiB
    /// to 128 MiB. Absent means 0: let the creator choose.
    /// </summary>
    public static int ParsePieceLength(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return 0;
        }

        string text = result.Tokens[0].Value;
        if (!ByteSize.TryParse(text, out long bytes) || bytes < MinPieceLength || bytes > TorrentParseOptions.Default.MaxPieceLength
            || !BitOperations.IsPow2(bytes))
        {
            result.AddError($"--piece-size '{text}' is not a power of two from 16K to 128M (for example 262144, 256K or 1M).");
            return 0;
        }

        return (int)bytes;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="fallback"/> when the option is absent.</summary>
    public static Func<ArgumentResult, int> IntInRange(string name, int min, int max, int fallback) => result =>
    {
        if (result.Tokens.Count == 0)
        {
            return fallback;
        }

        string text = result.Tokens[0].Value;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            result.AddError($"{name} '{text}' is not a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
            return fallback;
        }

        return value;
    };

    /// <summary>
    /// Each <c>--tracker</c> value is one tier; a value with commas (<c>URL1,URL2</c>) puts those
    /// URLs in the same tier. Every URL must be absolute (http, https, udp, ws or wss).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> ParseTrackerTiers(ArgumentResult result)
    {
        var tiers = new List<IReadOnlyList<string>>();
        foreach (var token in result.Tokens)
        {
            string[] urls = token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (urls.Length == 0)
            {
                result.AddError("--tracker needs a URL.");
                continue;
            }

            foreach (string url in urls.Where(u => !IsUrl(u, "http", "https", "udp", "ws", "wss")))
            {
                result.AddError($"--tracker '{url}' is not an http, https, udp, ws or wss URL.");
            }

            tiers.Add(urls);
        }

        return tiers;
    }

    /// <summary><c>--web-seed</c>: absolute http or https URLs (BEP 19).</summary>
    public static IReadOnlyList<string> ParseWebSeeds(ArgumentResult result)
    {
        var urls = new List<string>();
        foreach (var token in result.Tokens)
        {
            if (!IsUrl(token.Value, "http", "https"))
            {
                result.AddError($"--web-seed '{token.Value}' is not an http or https URL.");
            }

            urls.Add(token.Value);
        }

        return urls;
    }

    /// <summary>
    /// <c>--peer HOST:PORT</c>, repeatable: an IPv4 address, <c>[IPv6]:PORT</c> or a host name
    /// (resolved when the command runs).
    /// </summary>
    public static IReadOnlyList<DnsEndPoint> ParsePeers(ArgumentResult result)
    {
        var peers = new List<DnsEndPoint>();
        foreach (var token in result.Tokens)
        {
            if (TryParsePeer(token.Value, out var peer))
            {
                peers.Add(peer);
            }
            else
            {
                result.AddError($"--peer '{token.Value}' is not HOST:PORT (for example 127.0.0.1:6881, [::1]:6881 or example.org:6881).");
            }
        }

        return peers;
    }

    /// <summary>The <c>--dht-bootstrap</c> values, each HOST:PORT as <see cref="ParsePeers"/> takes them, kept as text for the settings.</summary>
    public static IReadOnlyList<string> ParseBootstrapNodes(ArgumentResult result)
    {
        var nodes = new List<string>();
        foreach (var token in result.Tokens)
        {
            if (TryParsePeer(token.Value, out _))
            {
                nodes.Add(token.Value);
            }
            else
            {
                result.AddError($"--dht-bootstrap '{token.Value}' is not HOST:PORT (for example 127.0.0.1:6881, [::1]:6881 or router.example.org:6881).");
            }
        }

        return nodes;
    }

    internal static bool TryParsePeer(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DnsEndPoint? peer)
    {
        peer = null;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            return false;
        }

        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!IPAddress.TryParse(host, out _))
            {
                return false;
            }
        }
        else if (host.Contains(':', StringComparison.Ordinal) || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            return false;
        }

        peer = new DnsEndPoint(host, port);
        return true;
    }

    /// <summary>
    /// <c>--listen</c> (an interface name or address, with an optional port: <c>eth0</c>,
    /// <c>eth0:6881</c>, <c>127.0.0.1</c>, <c>[::1]:6881</c>) or <c>--outgoing-interface</c> (a
    /// name or address), repeatable; checked as the session's settings check them.
    /// </summary>
    public static Func<ArgumentResult, IReadOnlyList<string>> InterfaceEntries(string name, bool allowPort) => result =>
    {
        var entries = new List<string>();
        foreach (var token in result.Tokens)
        {
            if (GodotTorrent.Net.ListenEntry.Parse(token.Value, allowPort, out string? error) is null)
            {
                result.AddError($"{name}: {error} (for example eth0{(allowPort ? ", eth0:6881" : "")}, 127.0.0.1 or ::1).");
            }
            else
            {
                entries.Add(token.Value);
            }
        }

        return entries;
    };

    /// <summary>A rate in bytes per second (<c>500K</c>, <c>2M</c>); absent or 0 means unlimited.</summary>
    public static Func<ArgumentResult, long> Rate(string name) => result =>
    {
        if (result.Tokens.Count == 0)
        {
            return 0;
        }

        string text = result.Tokens[0].Value;
        if (!ByteSize.TryParse(text, out long bytes))
        {
            result.AddError($"{name} '{text}' is not a rate in bytes per second (for example 500000, 500K or 2M; 0 = unlimited).");
        }

        return bytes;
    };

    private static bool IsUrl(string text, params string[] schemes) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase)
        && !string.IsNullOrEmpty(uri.Host);
}
