using GodotTorrent.Session;

namespace GodotTorrent.Cli.Output;

/// <summary>
/// One JSON line of <c>download</c> and <c>seed</c>: <c>event</c> is <c>status</c> once a second,
/// then <c>complete</c> (download finished), <c>timeout</c>, <c>stopped</c> or <c>error</c> at the end.
/// <c>eta_seconds</c> is the time left at the current rate, null when not downloading or nothing arrives.
/// </summary>
internal sealed record TransferReport(
    string Event,
    string Name,
    string State,
    double Progress,
    int PiecesDone,
    int PieceCount,
    long TotalWanted,
    long TotalWantedDone,
    long DownloadRate,
    long UploadRate,
    long TotalDownload,
    long TotalUpload,
    int Peers,
    int Seeds,
    double ElapsedSeconds,
    string? Error,
    long WebSeedDownload,
    double? EtaSeconds)
{
    public static TransferReport From(string eventName, TorrentStatus status, TimeSpan elapsed, string? error = null) => new(
        eventName,
        status.Name,
        status.StateName,
        Math.Round(status.Progress, 4),
        status.PiecesDone,
        status.PieceCount,
        status.TotalWanted,
        status.TotalWantedDone,
        status.DownloadRate,
        status.UploadRate,
        status.TotalPayloadDownload,
        status.TotalPayloadUpload,
        status.PeerCount,
        status.SeedCount,
        Math.Round(elapsed.TotalSeconds, 1),
        error ?? status.ErrorMessage,
        status.WebSeedBytesDownloaded,
        status.Eta is { } eta ? Math.Round(eta.TotalSeconds) : null);
}
