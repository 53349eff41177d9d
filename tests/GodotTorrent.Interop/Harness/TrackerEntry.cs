namespace GodotTorrent.Interop.Harness;

/// <summary>One announce URL and its tier (0 = first), in the order the .torrent lists them.</summary>
public sealed record TrackerEntry(string Url, int Tier);
