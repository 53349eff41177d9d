using System.Diagnostics;
using System.Globalization;
using GodotTorrent.Tests.Simulation;

namespace GodotTorrent.Bench;

/// <summary>
/// The 100-session simulation of the unit tests (1 seed, 99 downloaders, 16 MiB by default) on
/// the deterministic simulated network: how long it takes on this machine, in wall, CPU and
/// virtual time. The simulation sources are linked from the test project.
/// </summary>
internal static class SwarmSimulation
{
    public static int Run(string[] args)
    {
        int downloaders = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 99;
        int mebibytes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        int seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        using var swarm = new SimSwarm(seed);
        // The links of the unit test: 4 MiB/s up and 16 MiB/s down per host.
        swarm.Network.DefaultUplink = 4L << 20;
        swarm.Network.DefaultDownlink = 16L << 20;
        var (torrent, content) = SimSwarm.MakeTorrent(mebibytes << 20);
        var leechers = swarm.StartSwarm(torrent, content, downloaders);
        bool done = swarm.RunUntil(() => SimSwarm.AllSeeding(leechers), TimeSpan.FromHours(1));
        wall.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"swarm-sim: 1 seed + {downloaders} downloaders, {mebibytes} MiB, seed {seed}: {(done ? "all complete" : "NOT complete")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  wall {wall.Elapsed.TotalSeconds:F1} s, CPU {cpu.TotalSeconds:F1} s, virtual {swarm.Clock.Elapsed.TotalSeconds:F1} s, {swarm.Scheduler.Steps} work items, {swarm.Network.ConnectionsMade} connections"));
        return done ? 0 : 1;
    }
}
