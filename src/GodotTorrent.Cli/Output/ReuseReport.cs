namespace GodotTorrent.Cli.Output;

/// <summary>
/// The JSON line of <c>download --reuse</c>, written just before <c>complete</c>: files and bytes
/// taken from earlier versions (verified by the check) and payload bytes downloaded from peers.
/// </summary>
internal sealed record ReuseReport(string Event, int FilesReused, int TotalFiles, long BytesReused, long BytesDownloaded);
