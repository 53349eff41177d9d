namespace GodotTorrent.Cli.Output;

/// <summary>
/// A JSON line of <c>stream</c>: <c>event</c> is <c>url</c> for each file served (its number as
/// <c>gdtorrent info</c> counts, path, length, the URL to play and its content type), otherwise
/// the event's <c>message</c>; the fields of the other kind are null.
/// </summary>
internal sealed record StreamReport(string Event, int? File, string? Path, long? Length, string? Url, string? ContentType, string? Message);
