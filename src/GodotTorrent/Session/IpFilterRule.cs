using System.Net;

namespace GodotTorrent.Session;

/// <summary>One IP filter rule: an inclusive address range (one family) and whether it is blocked.</summary>
public sealed record IpFilterRule(IPAddress First, IPAddress Last, bool Blocked);
