using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Metainfo;

/// <summary>
/// The constant factor of parsing the worst shape near the decoder's value cap (issue step 08,
/// item 3), measured in bytes allocated, not time: the parse's time was mostly the collector
/// promoting what it allocated, and a count of bytes is the same on a busy machine.
/// </summary>
public class ParseCostTests
{
    // 6 values per entry (dictionary, two keys, integer, list, string): near the 2,000,000-value cap.
    private const int MostFiles = 330_000;

    [Fact]
    public void Files_with_one_name_near_the_value_cap_allocate_a_bounded_number_of_bytes_per_file()
    {
        var torrent = SameNames(MostFiles);
        TorrentInfo.Parse(SameNames(100));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var info = TorrentInfo.Parse(torrent);
        long perFile = (GC.GetAllocatedBytesForCurrentThread() - before) / MostFiles;

        Assert.Equal(MostFiles, info.Files.Count);
        Assert.Equal($"same/a.{MostFiles - 1}.txt", info.Files[^1].Path);

        // Before: 1,297 bytes per file (each entry's decoded dictionary held to the end, a copy of
        // every string, lists of path components, intermediate path strings); after: 922 to 943.
        Assert.True(perFile < 1100, $"{perFile} bytes allocated per file");
    }

    [Fact]
    public void Allocation_grows_linearly_with_the_number_of_files()
    {
        long Allocated(int files)
        {
            var torrent = SameNames(files);
            long before = GC.GetAllocatedBytesForCurrentThread();
            TorrentInfo.Parse(torrent);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Allocated(100);
        double ratio = Allocated(MostFiles) / (double)Allocated(MostFiles / 4);
        Assert.InRange(ratio, 3.5, 4.5);
    }

    private static byte[] SameNames(int count) =>
        TorrentFiles.Torrent(TorrentFiles.MultiFileInfo("same", Enumerable.Repeat((new[] { "a.txt" }, 1), count).ToList(), 1 << 20));
}
