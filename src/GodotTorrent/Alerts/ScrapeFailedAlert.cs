using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A scrape of a tracker failed, or the tracker cannot be scraped.</summary>
public sealed record ScrapeFailedAlert(TorrentHandle Handle, string Url, ErrorCode Error, string ErrorMessage) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "scrape_failed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Error;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: scrape of {Url} failed: {ErrorMessage}";
}
