namespace GodotTorrent.Interop.Harness;

/// <summary>A file to make: relative path with '/' separators, and its size in bytes.</summary>
public sealed record TestFile(string Path, long Size);
