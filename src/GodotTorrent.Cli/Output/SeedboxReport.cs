namespace GodotTorrent.Cli.Output;

/// <summary>
/// A JSON line of <c>seedbox</c> about one torrent file of the folder: <c>event</c> is
/// <c>added</c> (<c>resumed</c> true when its resume data in the state folder was trusted, so
/// nothing was hashed), <c>removed</c> (its file was deleted) or <c>skipped</c> (with the reason).
/// </summary>
internal sealed record SeedboxReport(string Event, string Torrent, string? Name, string? InfoHash, bool Resumed, string? Message);
