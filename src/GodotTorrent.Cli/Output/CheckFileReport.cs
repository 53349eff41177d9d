namespace GodotTorrent.Cli.Output;

/// <summary>One file in <c>check --json</c>.</summary>
internal sealed record CheckFileReport(string Path, long Length, long ValidBytes, double Progress, bool Complete, string? Error);
