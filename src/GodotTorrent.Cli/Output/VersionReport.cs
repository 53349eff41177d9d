namespace GodotTorrent.Cli.Output;

/// <summary>
/// A JSON line of <c>download --follow</c>: <c>version_available</c> when the channel names a new
/// version (with its sequence number), <c>version_complete</c> when a version is downloaded and verified.
/// <c>version</c> counts the versions this run has seen, from 1.
/// </summary>
internal sealed record VersionReport(string Event, int Version, string InfoHash, long? Sequence, string Name);
