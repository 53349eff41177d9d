namespace GodotTorrent.Trackers;

/// <summary>A tracker's scrape counts for one torrent (BEP 48 <c>files</c> entry; BEP 15 scrape reply).</summary>
/// <param name="Complete">Seeds.</param>
/// <param name="Incomplete">Downloading peers.</param>
/// <param name="Downloaded">Completed downloads the tracker has seen.</param>
internal sealed record ScrapeResponse(int Complete, int Incomplete, int Downloaded);
