namespace GodotTorrent.Interop.Harness;

/// <summary>What a finished tool run left behind.</summary>
public sealed record ToolResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed);
