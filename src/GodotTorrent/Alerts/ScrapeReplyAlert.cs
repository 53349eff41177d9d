using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A tracker answered a scrape (BEP 48) with the swarm's seed and downloader counts.</summary>
public sealed record ScrapeReplyAlert(TorrentHandle Handle, string Url, int Complete, int Incomplete) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "scrape_reply";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Tracker;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: {Url} scrape: {Complete} seeds, {Incomplete} downloading";
}
