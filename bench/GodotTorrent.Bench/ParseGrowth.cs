using System.Diagnostics;
using System.Globalization;
using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Bench;

/// <summary>
/// How parse time grows with hostile shapes (issue step 08, item 3): many files with one name,
/// very long names, many v2 files with piece layers, each at doubling sizes (the decoder refuses
/// more than 2,000,000 values, which bounds the file counts; a name can fill 24 MB). The largest
/// sizes are the most the value cap allows (330k v1 entries of 6 values, 199k v2 files of 10)
/// and a v2 torrent of about 24 MB.
/// Linear growth shows as a time ratio near 2 per doubling; quadratic growth as near 4.
/// </summary>
internal static class ParseGrowth
{
    public static int Run()
    {
        Report("files with one name", [25_000, 50_000, 100_000, 200_000, 330_000], SameNames);
        Report("characters in one name", [1_500_000, 3_000_000, 6_000_000, 12_000_000, 24_000_000], LongName);
        Report("v2 files with piece layers", [12_500, 25_000, 50_000, 100_000, 135_000, 199_000], V2Files);
        return 0;
    }

    private static void Report(string shape, int[] sizes, Func<int, byte[]> build)
    {
        Console.WriteLine($"{shape}:");
        double previous = 0;
        foreach (int size in sizes)
        {
            var torrent = build(size);
            TorrentInfo.Parse(torrent);
            var times = new List<double>();
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            for (int run = 0; run < 3; run++)
            {
                var watch = Stopwatch.StartNew();
                TorrentInfo.Parse(torrent);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            double allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / 3.0 / 1048576.0;
            double median = times.Order().ElementAt(1);
            double raw = RawCost(torrent);
            string ratio = previous == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"  x{median / previous:F2}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {size,11:N0}  {torrent.Length / 1048576.0,6:F1} MB  {median,8:F1} ms  {allocated,7:F1} MB allocated  raw {raw,6:F1} ms ({median / raw:F0}x){ratio}"));
            previous = median;
        }
    }

    // The least any parse must do with the same bytes: copy them once and hash them once (the
    // info-hash), SHA-256 for v2 (median of 3, as the parse).
    private static double RawCost(byte[] torrent)
    {
        bool v2 = torrent.AsSpan().IndexOf("meta version"u8) >= 0;
        var times = new List<double>();
        for (int run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            var copy = torrent.AsSpan().ToArray();
            _ = v2 ? System.Security.Cryptography.SHA256.HashData(copy) : System.Security.Cryptography.SHA1.HashData(copy);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times.Order().ElementAt(1);
    }

    private static byte[] SameNames(int count)
    {
        var files = new BList();
        for (int i = 0; i < count; i++)
        {
            var entry = new BDictionary();
            entry.Set("length", new BInteger(1));
            entry.Set("path", new BList([new BString("a.txt")]));
            files.Add(entry);
        }

        return V1(files, count);
    }

    private static byte[] LongName(int length)
    {
        var entry = new BDictionary();
        entry.Set("length", new BInteger(1));
        entry.Set("path", new BList([new BString(new string('x', length) + ".dat")]));
        return V1(new BList([entry]), 1);
    }

    private static byte[] V1(BList files, long total)
    {
        const int pieceLength = 1 << 20;
        var info = new BDictionary();
        info.Set("files", files);
        info.Set("name", new BString("shape"));
        info.Set("piece length", new BInteger(pieceLength));
        info.Set("pieces", new BString(new byte[(total + pieceLength - 1) / pieceLength * 20]));
        var root = new BDictionary();
        root.AddUnchecked(new BString("info"), info);
        return BencodeWriter.Encode(root);
    }

    private static byte[] V2Files(int count)
    {
        const int pieceLength = 16384;
        var tree = new BDictionary();
        var layers = new BDictionary();
        var layer = new byte[2 * MerkleTree.HashSize];
        var pieceRoot = MerkleTree.RootFromPieceLayer(layer, pieceLength);
        for (int i = 0; i < count; i++)
        {
            // Every file has the same content, so all share one root; distinct roots would need
            // distinct layers, which is what a real torrent has and costs the same to look up.
            var leaf = new BDictionary();
            leaf.AddUnchecked(new BString("length"), new BInteger(2 * pieceLength));
            leaf.AddUnchecked(new BString("pieces root"), new BString(pieceRoot));
            var node = new BDictionary();
            node.AddUnchecked(new BString(string.Empty), leaf);
            tree.AddUnchecked(new BString(i.ToString("D7", CultureInfo.InvariantCulture)), node);
        }

        for (int i = 0; i < count; i++)
        {
            layers.AddUnchecked(new BString(i.ToString("D32", CultureInfo.InvariantCulture)), new BString(layer));
        }

        layers.AddUnchecked(new BString(pieceRoot), new BString(layer));
        var info = new BDictionary();
        info.AddUnchecked(new BString("file tree"), tree);
        info.AddUnchecked(new BString("meta version"), new BInteger(2));
        info.AddUnchecked(new BString("name"), new BString("shape"));
        info.AddUnchecked(new BString("piece length"), new BInteger(pieceLength));
        var root = new BDictionary();
        root.AddUnchecked(new BString("info"), info);
        root.AddUnchecked(new BString("piece layers"), layers);
        return BencodeWriter.Encode(root);
    }
}
