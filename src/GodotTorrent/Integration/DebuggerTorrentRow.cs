namespace GodotTorrent.Integration;

/// <summary>One torrent of a running game, as the editor's debugger panel shows it.</summary>
/// <param name="InfoHash">The primary info-hash, lower-case hex.</param>
/// <param name="Name">The torrent's name.</param>
/// <param name="State">The state name (<c>downloading</c>, <c>seeding</c>, ...).</param>
/// <param name="Progress">0 to 1.</param>
/// <param name="DownloadRate">Bytes per second.</param>
/// <param name="UploadRate">Bytes per second.</param>
/// <param name="Peers">Connected peers.</param>
public sealed record DebuggerTorrentRow(string InfoHash, string Name, string State, double Progress, long DownloadRate, long UploadRate, long Peers);
