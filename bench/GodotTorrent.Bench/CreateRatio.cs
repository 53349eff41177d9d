using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Bench;

/// <summary>
/// Torrent creation throughput as a ratio of this machine's raw SHA-1 throughput times the
/// cores used, both measured in the same run (target: at least 0.80 for v1).
/// </summary>
internal static class CreateRatio
{
    public static async Task<int> RunAsync(string[] args)
    {
        long sizeMiB = ArgValue(args, "--size", 1024);
        int cores = (int)ArgValue(args, "--cores", Environment.ProcessorCount);
        int rounds = (int)ArgValue(args, "--rounds", 3);
        string folder = Path.Combine(Path.GetTempPath(), "gt-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string file = Path.Combine(folder, "content.bin");
            WriteRandomFile(file, sizeMiB * 1024 * 1024);

            // Measurements alternate and the best of each is kept, so load from elsewhere on the
            // machine does not tilt the ratios.
            double sha1Single = 0, sha1All = 0;
            var versions = new[] { TorrentVersion.V1, TorrentVersion.V2, TorrentVersion.Hybrid };
            var best = new double[versions.Length];
            for (int round = 0; round < rounds; round++)
            {
                sha1Single = Math.Max(sha1Single, MeasureSha1(threads: 1));
                sha1All = Math.Max(sha1All, MeasureSha1(threads: cores));
                for (int v = 0; v < versions.Length; v++)
                {
                    var clock = Stopwatch.StartNew();
                    await TorrentCreator.CreateAsync(file, new TorrentCreatorOptions { Version = versions[v], MaxDegreeOfParallelism = cores });
                    best[v] = Math.Max(best[v], sizeMiB * 1024 * 1024 / clock.Elapsed.TotalSeconds / 1e6);
                }
            }

            var table = versions.Select((v, i) => (Name: v.ToString(), MBps: best[i])).ToList();

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"File: {sizeMiB} MiB in the page cache; cores used: {cores}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Raw SHA-1, one core:           {sha1Single,8:F0} MB/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Raw SHA-1 x {cores} cores (computed): {sha1Single * cores,8:F0} MB/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Raw SHA-1 on {cores} threads (measured): {sha1All,8:F0} MB/s"));
            Console.WriteLine("| creation | MB/s | ratio to SHA-1 x cores | ratio to measured parallel SHA-1 |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (name, mbps) in table)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {mbps:F0} | {mbps / (sha1Single * cores):F2} | {mbps / sha1All:F2} |"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static long ArgValue(string[] args, string name, long fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? long.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void WriteRandomFile(string path, long size)
    {
        var buffer = new byte[4 * 1024 * 1024];
        new Random(1).NextBytes(buffer);
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
        {
            for (long written = 0; written < size; written += buffer.Length)
            {
                stream.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
            }
        }

        // Read it once so both measurements see a warm page cache.
        using var read = File.OpenRead(path);
        while (read.Read(buffer, 0, buffer.Length) > 0)
        {
        }
    }

    // Hashes 256 KiB chunks of an in-memory buffer for about two seconds per thread.
    private static double MeasureSha1(int threads)
    {
        var data = new byte[64 * 1024 * 1024];
        new Random(2).NextBytes(data);
        const int chunk = 256 * 1024;
        long total = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            Span<byte> hash = stackalloc byte[20];
            long done = 0;
            var local = Stopwatch.StartNew();
            while (local.Elapsed < TimeSpan.FromSeconds(1))
            {
                for (int offset = 0; offset < data.Length; offset += chunk)
                {
                    SHA1.HashData(data.AsSpan(offset, chunk), hash);
                }

                done += data.Length;
            }

            Interlocked.Add(ref total, done);
        });
        return total / clock.Elapsed.TotalSeconds / 1e6;
    }
}
