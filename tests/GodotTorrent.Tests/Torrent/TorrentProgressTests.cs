using GodotTorrent.Tests.Storage;
using GodotTorrent.Torrent;

namespace GodotTorrent.Tests.Torrent;

public class TorrentProgressTests
{
    [Fact]
    public void Skipped_files_count_as_done_but_not_as_wanted()
    {
        var torrent = StorageTorrents.V1(16384, ("a.bin", 1000), ("b.bin", 3000));

        var progress = TorrentProgress.Of(torrent, [400, 3000], [Priority.Normal, Priority.Skip]);

        Assert.Equal(new TorrentProgress(Done: 3400, Wanted: 1000, WantedDone: 400), progress);
    }

    [Fact]
    public void Before_the_files_are_known_everything_is_wanted_and_nothing_done()
    {
        var torrent = StorageTorrents.V1(16384, ("a.bin", 1000), ("b.bin", 3000));

        Assert.Equal(new TorrentProgress(0, 4000, 0), TorrentProgress.Of(torrent, [], []));
        Assert.Equal(new TorrentProgress(0, 0, 0), TorrentProgress.Of(null, [], []));
    }
}
