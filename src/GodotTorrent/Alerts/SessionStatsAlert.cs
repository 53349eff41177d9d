using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>The answer to <c>TorrentSession.PostSessionStats</c>: every session counter at one moment.</summary>
public sealed record SessionStatsAlert(SessionStatistics Statistics) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "session_stats";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Stats;

    /// <inheritdoc/>
    public override string Message => $"{Statistics.PeersConnected} peers, {Statistics.DownloadRate} B/s down, {Statistics.UploadRate} B/s up";
}
