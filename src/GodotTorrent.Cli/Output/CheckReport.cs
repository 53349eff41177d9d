namespace GodotTorrent.Cli.Output;

/// <summary>What <c>gdtorrent check --json</c> prints.</summary>
internal sealed record CheckReport(string Name, string DataFolder, int ValidPieces, int TotalPieces, bool Complete, IReadOnlyList<CheckFileReport> Files);
