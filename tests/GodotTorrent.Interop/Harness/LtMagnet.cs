namespace GodotTorrent.Interop.Harness;

/// <summary>lt_tool.py parse-magnet: what lt.parse_magnet_uri found. Peers are "ip:port" (x.pe).</summary>
public sealed record LtMagnet(
    string? InfoHashV1,
    string? InfoHashV2,
    string? Name,
    IReadOnlyList<string> Trackers,
    IReadOnlyList<string> Peers,
    IReadOnlyList<string> WebSeeds);
