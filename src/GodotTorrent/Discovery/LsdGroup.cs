using System.Net;

namespace GodotTorrent.Discovery;

/// <summary>
/// Where local service discovery talks. A multicast <paramref name="Group"/> (the default) is
/// joined on every interface that can multicast, loopback included; with <paramref name="Bind"/>
/// set the group is a plain unicast endpoint sent to from a socket bound there (tests, no multicast).
/// </summary>
/// <param name="Group">Where announces go (and, for a multicast group, the port they arrive on).</param>
/// <param name="Bind">The local endpoint to receive on instead of joining a group; null for multicast.</param>
internal sealed record LsdGroup(IPEndPoint Group, IPEndPoint? Bind = null)
{
    /// <summary>BEP 14's groups: 239.192.152.143:6771 and [ff15::efc0:988f]:6771.</summary>
    public static IReadOnlyList<LsdGroup> Defaults { get; } =
    [
        new(new IPEndPoint(IPAddress.Parse("239.192.152.143"), 6771)),
        new(new IPEndPoint(IPAddress.Parse("ff15::efc0:988f"), 6771)),
    ];
}
