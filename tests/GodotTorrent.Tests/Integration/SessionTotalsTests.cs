using GodotTorrent.Integration;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Integration;

public class SessionTotalsTests
{
    internal static TorrentStatus Status(byte id, long down, long up, int peers, bool paused = false, bool queued = false, ErrorCode error = ErrorCode.None, string name = "t") => new()
    {
        InfoHashes = new InfoHashes(new InfoHash(Enumerable.Repeat(id, 20).ToArray()), null),
        Name = name,
        State = TorrentState.Downloading,
        SavePath = "/tmp",
        DownloadRate = down,
        UploadRate = up,
        PeerCount = peers,
        IsPaused = paused,
        IsQueued = queued,
        Error = error,
        Progress = 0.25,
    };

    [Fact]
    public void Totals_sum_rates_and_peers_and_count_only_running_torrents_as_active()
    {
        var totals = SessionTotals.From(
        [
            Status(1, 1000, 10, 3),
            Status(2, 500, 20, 2),
            Status(3, 0, 0, 0, paused: true),
            Status(4, 0, 0, 0, queued: true),
            Status(5, 0, 0, 0, error: ErrorCode.StorageIo),
        ]);

        Assert.Equal(new SessionTotals(1500, 30, 5, 2), totals);
        Assert.Equal(new SessionTotals(3000, 60, 10, 4), totals.Add(totals));
        Assert.Equal(SessionTotals.Zero, SessionTotals.From([]));
    }
}
