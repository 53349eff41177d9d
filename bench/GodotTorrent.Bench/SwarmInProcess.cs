using System.Diagnostics;
using System.Globalization;
using System.Net;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Bench;

/// <summary>
/// One seeder and one downloader in this process over 127.0.0.1, files on disk: a quick look at
/// engine throughput and CPU while tuning (the cross-client comparison is bench/swarm.py).
/// </summary>
internal static class SwarmInProcess
{
    public static async Task<int> RunAsync(string[] args)
    {
        long sizeMiB = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 256;
        int pieceKiB = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1024;
        string root = Path.Combine(Path.GetTempPath(), "gt-swarm-bench-" + Guid.NewGuid().ToString("N"));
        string seedDir = Path.Combine(root, "seed");
        string downDir = Path.Combine(root, "down");
        Directory.CreateDirectory(seedDir);
        try
        {
            string file = Path.Combine(seedDir, "content.bin");
            var buffer = new byte[4 << 20];
            new Random(3).NextBytes(buffer);
            await using (var stream = File.Create(file))
            {
                for (long i = 0; i < sizeMiB; i += 4)
                {
                    await stream.WriteAsync(buffer);
                }
            }

            var torrent = await TorrentCreator.CreateAsync(file, new TorrentCreatorOptions { Version = TorrentVersion.V1, PieceLength = pieceKiB * 1024 });
            var settings = new SessionSettings { ListenAddresses = [IPAddress.Loopback], ListenPort = 0 };
            await using var seeder = new TorrentSession(settings);
            await seeder.StartAsync();
            var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedDir });
            await seed.WaitForStateAsync(TorrentState.Seeding);

            await using var leecher = new TorrentSession(settings);
            await leecher.StartAsync();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var download = await leecher.AddTorrentAsync(new AddTorrentParams
            {
                Torrent = torrent,
                SavePath = downDir,
                Peers = [new IPEndPoint(IPAddress.Loopback, seeder.ListenPort)],
            });
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await download.WaitForStateAsync(TorrentState.Seeding, timeout.Token);
            clock.Stop();
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sizeMiB} MiB in {seconds:F2} s = {sizeMiB * 1048576 / seconds / 1e6:F0} MB/s; CPU {used.TotalSeconds:F2} s (both sides); peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB"));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
