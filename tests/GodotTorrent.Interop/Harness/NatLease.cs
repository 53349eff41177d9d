using System.Globalization;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// One line of miniupnpd's lease file, <c>PROTO:EXTERNAL_PORT:INTERNAL_ADDRESS:INTERNAL_PORT:EXPIRY:DESCRIPTION</c>
/// (UPnP and NAT-PMP mappings alike; a NAT-PMP one is described "NAT-PMP PORT tcp").
/// </summary>
public sealed record NatLease(string Protocol, int ExternalPort, string InternalAddress, int InternalPort, string Description)
{
    /// <summary>Parses one line; null for a line of another shape.</summary>
    public static NatLease? Parse(string line)
    {
        var parts = line.Split(':', 6);
        if (parts.Length < 6
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int external)
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out int internalPort))
        {
            return null;
        }

        return new NatLease(parts[0], external, parts[2], internalPort, parts[5]);
    }

    public override string ToString() => $"{Protocol} {ExternalPort.ToString(CultureInfo.InvariantCulture)} -> {InternalAddress}:{InternalPort.ToString(CultureInfo.InvariantCulture)} '{Description}'";
}
