namespace GodotTorrent.Cli.Output;

/// <summary>
/// A JSON line of <c>download</c>, <c>seed</c> and <c>seedbox</c> when a peer source fails:
/// <c>event</c> is <c>tracker_error</c>, <c>web_seed_error</c> or <c>dht_error</c>; once per distinct error.
/// </summary>
internal sealed record SourceErrorReport(string Event, string? Name, string? Url, int HttpStatus, string Error, string Message);
