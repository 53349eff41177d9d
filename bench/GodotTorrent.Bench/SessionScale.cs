using System.Diagnostics;
using System.Globalization;
using System.Net;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Bench;

/// <summary>
/// Issue 19's scale targets for one session of N seeding torrents with resume data: session
/// start, adding them all until they seed, idle RSS and CPU, one status query of all of them and
/// the latency of single API calls. The data and resume data are prepared in this process; each
/// measurement runs in a fresh child process, so start-up figures include the JIT as a game's
/// first start does.
/// </summary>
internal static class SessionScale
{
    private const string Usage = "options: --torrents N --idle-seconds S --calls N --file-kib K --piece-kib K --path resume|state|both --discovery on|off";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "--measure")
        {
            return await SessionScaleRun.MeasureAsync(args[1], args[2], ParseOptions(args[3..]));
        }

        var options = ParseOptions(args);
        string root = Path.Combine(Path.GetTempPath(), "gt-scale-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var clock = Stopwatch.StartNew();
            await PrepareAsync(root, options);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"session-scale: {options.Torrents} torrents of {options.FileKiB} KiB in {options.PieceKiB} KiB pieces prepared in {clock.Elapsed.TotalSeconds:F1} s; "
                + $"cores {Environment.ProcessorCount}, load average {LoadAverage()}"));
            int failed = 0;
            foreach (string path in options.Path == "both" ? new[] { "resume", "state" } : new[] { options.Path })
            {
                failed += await RunChildAsync(root, path, args);
            }

            Console.WriteLine($"load average after: {LoadAverage()}");
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The first three fields of /proc/loadavg, or "-" elsewhere.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "-";

    private static SessionScaleOptions ParseOptions(string[] args)
    {
        var options = new SessionScaleOptions();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            options = args[i] switch
            {
                "--torrents" => options with { Torrents = Int(value) },
                "--idle-seconds" => options with { IdleSeconds = Int(value) },
                "--calls" => options with { Calls = Int(value) },
                "--file-kib" => options with { FileKiB = Int(value) },
                "--piece-kib" => options with { PieceKiB = Int(value) },
                "--path" when value is "resume" or "state" or "both" => options with { Path = value },
                "--discovery" when value is "on" or "off" => options with { Discovery = value == "on" },
                _ => throw new ArgumentException(Usage),
            };
        }

        return options;

        static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Writes the files and .torrent files, then seeds them once in a session that checks them,
    /// and keeps what a game would keep between runs: its .torrent file and resume file per
    /// torrent and the session's saved state.
    /// </summary>
    private static async Task PrepareAsync(string root, SessionScaleOptions options)
    {
        string data = Path.Combine(root, "data");
        string resume = Path.Combine(root, "resume");
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(resume);
        var bytes = new byte[options.FileKiB * 1024];
        var random = new Random(7);
        await using var session = new TorrentSession(SessionScaleRun.Settings());
        await session.StartAsync();
        var handles = new List<TorrentHandle>(options.Torrents);
        for (int i = 0; i < options.Torrents; i++)
        {
            string file = Path.Combine(data, "t" + i.ToString(CultureInfo.InvariantCulture) + ".bin");
            random.NextBytes(bytes);
            await File.WriteAllBytesAsync(file, bytes);
            var info = await TorrentCreator.CreateAsync(file, new TorrentCreatorOptions { Version = TorrentVersion.V1, PieceLength = options.PieceKiB * 1024 });
            handles.Add(await session.AddTorrentAsync(new AddTorrentParams { Torrent = info, SavePath = data, AutoManaged = false }));
        }

        foreach (var handle in handles)
        {
            await handle.WaitForStateAsync(TorrentState.Seeding).WaitAsync(TimeSpan.FromMinutes(5));
            var saved = await handle.SaveResumeDataAsync();
            string name = Path.Combine(resume, handle.InfoHashes.Primary.ToString());
            await ResumeDataStore.SaveAsync(name + ".resume", saved);
            await File.WriteAllBytesAsync(name + ".torrent", handle.TorrentInfo!.ToBytes());
        }

        await session.SaveStateToFileAsync(Path.Combine(root, "session.state"));
    }

    private static async Task<int> RunChildAsync(string root, string path, string[] args)
    {
        // The measurement runs as this program again, in a process of its own.
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SessionScale).Assembly.Location);
        }

        foreach (string arg in new[] { "session-scale", "--measure", root, path }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(20));
        return child.ExitCode;
    }
}
