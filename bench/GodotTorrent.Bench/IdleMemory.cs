using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Bench;

/// <summary>
/// One session seeding N small torrents from files in a temp folder, with no peers and no
/// trackers, left idle: prints what the process holds (RSS, peak RSS, the managed heap, what the
/// GC has committed, threads) at a fixed interval, so growth while nothing happens shows up.
/// </summary>
internal static class IdleMemory
{
    public static async Task<int> RunAsync(string[] args)
    {
        int torrents = 1000;
        int seconds = 150;
        int every = 15;
        int fileKiB = 64;
        int pieceKiB = 16;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            int value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--torrents": torrents = value; break;
                case "--seconds": seconds = value; break;
                case "--every": every = value; break;
                case "--file-kib": fileKiB = value; break;
                case "--piece-kib": pieceKiB = value; break;
                default: throw new ArgumentException("options: --torrents N --seconds S --every S --file-kib K --piece-kib K");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"idle-memory: {torrents} torrents of {fileKiB} KiB in {pieceKiB} KiB pieces, {seconds} s; server GC {GCSettings.IsServerGC}, latency {GCSettings.LatencyMode}, "
            + $"conserve {Environment.GetEnvironmentVariable("DOTNET_GCConserveMemory") ?? AppContext.GetData("System.GC.ConserveMemory") ?? "-"}, cores {Environment.ProcessorCount}"));
        string root = Path.Combine(Path.GetTempPath(), "gt-idle-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var infos = new List<TorrentInfo>(torrents);
            var data = new byte[fileKiB * 1024];
            var random = new Random(7);
            for (int i = 0; i < torrents; i++)
            {
                string file = Path.Combine(root, "t" + i.ToString(CultureInfo.InvariantCulture) + ".bin");
                random.NextBytes(data);
                await File.WriteAllBytesAsync(file, data);
                infos.Add(await TorrentCreator.CreateAsync(file, new TorrentCreatorOptions { Version = TorrentVersion.V1, PieceLength = pieceKiB * 1024 }));
            }

            Print("created", Stopwatch.StartNew(), null);
            var settings = new SessionSettings { ListenAddresses = [IPAddress.Loopback], ListenPort = 0 };
            await using var session = new TorrentSession(settings);
            await session.StartAsync();
            var handles = new List<TorrentHandle>(torrents);
            var clock = Stopwatch.StartNew();
            foreach (var info in infos)
            {
                // Not auto-managed: all of them are active at once, as the probe ran them.
                handles.Add(await session.AddTorrentAsync(new AddTorrentParams { Torrent = info, SavePath = root, AutoManaged = false }));
            }

            // The clock runs from the first add, as the probe measured: the data checks are part of the run.
            Print("added", clock, handles);
            for (int report = 1; report * every <= seconds; report++)
            {
                var due = TimeSpan.FromSeconds(report * every);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                Print("idle", clock, handles);
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Print(string phase, Stopwatch clock, List<TorrentHandle>? handles)
    {
        int seeding = handles?.Count(h => h.Status.State == TorrentState.Seeding) ?? 0;
        var gc = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{phase,-8} {clock.Elapsed.TotalSeconds,5:F0} s  seeding {seeding,5}  RSS {Status("VmRSS:") / 1024.0,6:F1} MiB (anon {Status("RssAnon:") / 1024.0,6:F1})  peak {Status("VmHWM:") / 1024.0,6:F1} MiB  "
            + $"heap {GC.GetTotalMemory(false) / 1048576.0,6:F1} MiB  committed {gc.TotalCommittedBytes / 1048576.0,6:F1} MiB  "
            + $"gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}  allocated {GC.GetTotalAllocatedBytes() / 1048576.0,7:F0} MiB  "
            + $"threads {process.Threads.Count}  pool {ThreadPool.ThreadCount}"));
    }

    /// <summary>A figure in KiB from /proc/self/status (Linux); the working set elsewhere.</summary>
    internal static long Status(string field)
    {
        if (File.Exists("/proc/self/status"))
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }

        return field switch
        {
            "VmHWM:" => Process.GetCurrentProcess().PeakWorkingSet64 / 1024,
            "VmRSS:" => Environment.WorkingSet / 1024,
            _ => 0,
        };
    }
}
