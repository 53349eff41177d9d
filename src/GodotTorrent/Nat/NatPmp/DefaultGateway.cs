using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace GodotTorrent.Nat.NatPmp;

/// <summary>Finds the IPv4 default gateway, where NAT-PMP and PCP requests go (RFC 6886 3).</summary>
internal static class DefaultGateway
{
    private const string RouteTable = "/proc/net/route";
    private const int MaxRouteTableChars = 64 * 1024;
    private const int MaxRoutes = 1024;
    private const int RouteUp = 0x1;
    private const int RouteGateway = 0x2;

    /// <summary>The default gateway's address, or null when there is none (or it cannot be read).</summary>
    public static IPAddress? Find()
    {
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists(RouteTable))
            {
                return ParseRouteTable(ReadLimited(RouteTable));
            }

            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().GatewayAddresses)
                .Select(g => g.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !a.Equals(IPAddress.Any));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NetworkInformationException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// The gateway of the default route (destination and mask 0, up, via a gateway) with the lowest
    /// metric in the text of Linux's <c>/proc/net/route</c>, whose addresses are the kernel's 32-bit
    /// words in hex (network byte order read as a native integer). Lines past <see cref="MaxRoutes"/> are not read.
    /// </summary>
    public static IPAddress? ParseRouteTable(string text)
    {
        IPAddress? best = null;
        long bestMetric = long.MaxValue;
        foreach (var line in text.Split('\n').Skip(1).Take(MaxRoutes))
        {
            var fields = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8
                || !TryHex(fields[1], out uint destination) || !TryHex(fields[2], out uint gateway) || !TryHex(fields[3], out uint flags)
                || !long.TryParse(fields[6], NumberStyles.Integer, CultureInfo.InvariantCulture, out long metric) || !TryHex(fields[7], out uint mask))
            {
                continue;
            }

            if (destination == 0 && mask == 0 && gateway != 0 && (flags & (RouteUp | RouteGateway)) == (RouteUp | RouteGateway) && metric < bestMetric)
            {
                best = new IPAddress(BitConverter.GetBytes(gateway));
                bestMetric = metric;
            }
        }

        return best;
    }

    private static bool TryHex(string field, out uint value) =>
        uint.TryParse(field, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

    private static string ReadLimited(string path)
    {
        using var reader = new StreamReader(path);
        var buffer = new char[MaxRouteTableChars];
        int total = 0;
        int read;
        while (total < buffer.Length && (read = reader.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        return new string(buffer, 0, total);
    }
}
