using System.Diagnostics;
using System.Globalization;
using System.Net;
using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Bench;

/// <summary>
/// One measurement of <c>session-scale</c>, in a process of its own: start a session, bring back
/// the prepared torrents (resume files added one by one, or the saved session state loaded), wait
/// until all seed, then idle, one status query of all and single calls.
/// </summary>
internal static class SessionScaleRun
{
    /// <summary>Loopback only, port chosen by the system; DHT, LSD and port mapping are off by default.</summary>
    public static SessionSettings Settings(bool discovery = false) =>
        new() { ListenAddresses = [IPAddress.Loopback], ListenPort = 0, EnableDht = discovery, EnableLsd = discovery };

    public static async Task<int> MeasureAsync(string root, string path, SessionScaleOptions options)
    {
        using var self = Process.GetCurrentProcess();
        var toMain = DateTime.Now - self.StartTime;
        Console.WriteLine();
        Console.WriteLine($"JIT before Main's first line: {JitSnapshot.Take()}");
        Console.WriteLine($"[{path}] {options.Torrents} torrents, DHT and LSD {(options.Discovery ? "on" : "off")}, load average {SessionScale.LoadAverage()}");
        Line("process start to Main", toMain.TotalMilliseconds, "ms");

        var clock = Stopwatch.StartNew();
        TorrentSession session;
        List<TorrentHandle> handles;
        if (path == "resume")
        {
            var jit = JitSnapshot.Take();
            session = new TorrentSession(Settings(options.Discovery));
            var constructed = clock.Elapsed;
            var jitConstructed = JitSnapshot.Take();
            await session.StartAsync();
            var jitStarted = JitSnapshot.Take();
            Line("session start (new + StartAsync, first in the process)", clock.Elapsed.TotalMilliseconds, "ms");
            Line("  of which new TorrentSession(settings)", constructed.TotalMilliseconds, "ms");
            Console.WriteLine($"    JIT in new TorrentSession: {jitConstructed - jit}; in StartAsync: {jitStarted - jitConstructed}");
            var added = Stopwatch.StartNew();
            handles = new List<TorrentHandle>(options.Torrents);
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, "resume"), "*.resume"))
            {
                // What a game keeps between runs: the .torrent file and the resume data beside it.
                var data = ResumeDataSerializer.Decode(await File.ReadAllBytesAsync(file));
                var parameters = AddTorrentParams.FromFile(Path.ChangeExtension(file, ".torrent"), data.SavePath) with { ResumeData = data, AutoManaged = false };
                handles.Add(await session.AddTorrentAsync(parameters));
            }

            Line($"add {handles.Count} (.torrent + resume file read, AddTorrentAsync)", added.Elapsed.TotalMilliseconds, "ms");
        }
        else
        {
            session = await TorrentSession.LoadStateFromFileAsync(Path.Combine(root, "session.state"));
            handles = [.. await session.GetTorrentsAsync()];
            Line($"LoadStateFromFileAsync (start + {handles.Count} adds)", clock.Elapsed.TotalMilliseconds, "ms");
        }

        await using (session)
        {
            foreach (var handle in handles)
            {
                await handle.WaitForStateAsync(TorrentState.Seeding).WaitAsync(TimeSpan.FromMinutes(5));
            }

            Line("session start to all seeding", clock.Elapsed.TotalMilliseconds, "ms");
            Line("CPU so far (process)", self.TotalProcessorTime.TotalMilliseconds, "ms");
            await SecondStartAsync();

            // Let the adds' garbage and the first ticks pass before the idle window.
            await Task.Delay(TimeSpan.FromSeconds(5));
            await IdleAsync(self, options.IdleSeconds);
            await QueryAllAsync(session, handles);
            await SingleCallsAsync(session, handles, options.Calls);
            var stop = Stopwatch.StartNew();
            await session.StopAsync();
            Line($"StopAsync with {handles.Count} torrents", stop.Elapsed.TotalMilliseconds, "ms");
        }

        return 0;
    }

    /// <summary>Another empty session in the same process: start-up without the JIT's first compilations.</summary>
    private static async Task SecondStartAsync()
    {
        var clock = Stopwatch.StartNew();
        await using var session = new TorrentSession(Settings());
        await session.StartAsync();
        Line("a second empty session's start (JIT warm)", clock.Elapsed.TotalMilliseconds, "ms");
    }

    private static async Task IdleAsync(Process self, int seconds)
    {
        self.Refresh();
        var cpu = self.TotalProcessorTime;
        long allocated = GC.GetTotalAllocatedBytes();
        int gen0 = GC.CollectionCount(0);
        var threads = ThreadCpu();
        var clock = Stopwatch.StartNew();
        // Windows of 15 s: the JIT's tiering of code that runs once a second goes on for minutes
        // after start, so the first windows cost more than the idle session itself.
        var window = TimeSpan.FromSeconds(Math.Min(15, seconds));
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            var windowCpu = self.TotalProcessorTime;
            var windowThreads = ThreadCpu();
            var windowJit = JitSnapshot.Take();
            var windowClock = Stopwatch.StartNew();
            await Task.Delay(window);
            self.Refresh();
            long engine = EngineTicks(ThreadCpu()) - EngineTicks(windowThreads);
            // The JIT's share: compilations of the window (tier 0 and the tiering thread's rejits alike).
            var jitted = JitSnapshot.Take() - windowJit;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    idle {clock.Elapsed.TotalSeconds,4:F0} s: process {(self.TotalProcessorTime - windowCpu).TotalSeconds / windowClock.Elapsed.TotalSeconds * 100,5:F2} % of a core, engine loop thread {engine * 10 / windowClock.Elapsed.TotalMilliseconds * 100,5:F2} %, JIT {jitted.Time.TotalSeconds / windowClock.Elapsed.TotalSeconds * 100,5:F2} % ({jitted.Methods} methods)"));
        }

        double cpuShare = (self.TotalProcessorTime - cpu).TotalSeconds / clock.Elapsed.TotalSeconds;
        Line($"idle CPU over {seconds} s (share of one core)", cpuShare * 100, "%");
        foreach (var (name, ticks) in ThreadCpu())
        {
            // /proc counts in clock ticks of 10 ms (USER_HZ 100).
            long spent = ticks - threads.GetValueOrDefault(name);
            if (spent > 0)
            {
                Line($"  of which threads named '{name}'", spent * 10 / clock.Elapsed.TotalMilliseconds * 100, "%");
            }
        }

        Line("idle allocation", (GC.GetTotalAllocatedBytes() - allocated) / clock.Elapsed.TotalSeconds / 1024, "KiB/s");
        Line("idle gen0 collections", GC.CollectionCount(0) - gen0, "");
        Line("RSS after idle", IdleMemory.Status("VmRSS:") / 1024.0, "MiB");
        Line("peak RSS", IdleMemory.Status("VmHWM:") / 1024.0, "MiB");
        Line("managed heap", GC.GetTotalMemory(false) / 1048576.0, "MiB");
        Line("threads", self.Threads.Count, "");
    }

    /// <summary>CPU clock ticks (user + system) of this process' threads, summed by thread name (Linux; empty elsewhere).</summary>
    private static Dictionary<string, long> ThreadCpu()
    {
        var byName = new Dictionary<string, long>();
        if (!Directory.Exists("/proc/self/task"))
        {
            return byName;
        }

        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                // The name is in parentheses and may hold spaces; the fields after it are plain.
                int open = stat.IndexOf('(', StringComparison.Ordinal);
                int close = stat.LastIndexOf(')');
                string[] fields = stat[(close + 2)..].Split(' ');
                string name = stat[(open + 1)..close];
                long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                byName[name] = byName.GetValueOrDefault(name) + ticks;
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return byName;
    }

    private static long EngineTicks(Dictionary<string, long> threads) =>
        threads.Where(t => t.Key.StartsWith("godot-torrent", StringComparison.Ordinal)).Sum(t => t.Value);

    private static async Task QueryAllAsync(TorrentSession session, List<TorrentHandle> handles)
    {
        // Each figure is one query of every torrent; the median of repeats, the first (cold) apart.
        await Repeat($"status of all {handles.Count}: GetTorrentsAsync + handle.Status each", 21, async () =>
        {
            long done = 0;
            foreach (var handle in await session.GetTorrentsAsync())
            {
                done += handle.Status.TotalDone;
            }

            GC.KeepAlive(done);
        });
        await Repeat($"status of all {handles.Count}: session.GetTorrentStatusesAsync (fresh, one loop visit)", 21, () => session.GetTorrentStatusesAsync());
        await Repeat($"status of all {handles.Count}: GetStatusAsync each, all at once", 21, async () =>
            await Task.WhenAll(handles.Select(h => h.GetStatusAsync())));
        await Repeat($"status of all {handles.Count}: GetStatusAsync each, one after another", 5, async () =>
        {
            foreach (var handle in handles)
            {
                await handle.GetStatusAsync();
            }
        });
    }

    private static async Task Repeat(string what, int runs, Func<Task> query)
    {
        var times = new List<double>(runs);
        for (int i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await query();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        var sorted = times.Skip(1).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-72} first {times[0],8:F2} ms, median {sorted[sorted.Count / 2],8:F2} ms, max {sorted[^1],8:F2} ms"));
    }

    private static async Task SingleCallsAsync(TorrentSession session, List<TorrentHandle> handles, int calls)
    {
        var random = new Random(3);
        await Latency("handle.GetStatusAsync()", calls, () => handles[random.Next(handles.Count)].GetStatusAsync());
        await Latency("handle.Status (the last snapshot, no loop round trip)", calls, () =>
        {
            GC.KeepAlive(handles[random.Next(handles.Count)].Status);
            return Task.CompletedTask;
        });
        await Latency("session.GetTorrentsAsync()", calls, () => session.GetTorrentsAsync());
        await Latency($"session.GetTorrentStatusesAsync() ({handles.Count} torrents)", Math.Max(10, calls / 10), () => session.GetTorrentStatusesAsync());
        await Latency("session.FindTorrent(info-hash)", calls, () =>
        {
            GC.KeepAlive(session.FindTorrent(handles[random.Next(handles.Count)].InfoHashes.Primary));
            return Task.CompletedTask;
        });
        await Latency("handle.PauseAsync + ResumeAsync", Math.Max(10, calls / 10), async () =>
        {
            var handle = handles[random.Next(handles.Count)];
            await handle.PauseAsync();
            await handle.ResumeAsync();
        });
    }

    private static async Task Latency(string what, int calls, Func<Task> call)
    {
        for (int i = 0; i < Math.Min(50, calls); i++)
        {
            await call();
        }

        var times = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await call();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-72} median {times[calls / 2],9:F1} us, p99 {times[calls * 99 / 100],9:F1} us, max {times[^1],9:F1} us ({calls} calls)"));
    }

    private static void Line(string what, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-72} {value,9:F1} {unit}"));
}
