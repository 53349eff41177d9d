using BenchmarkDotNet.Running;

namespace GodotTorrent.Bench;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // The ratio benchmarks measure the machine's limits in the same run, so they are plain programs.
        if (args.Length > 0 && args[0] == "create-ratio")
        {
            return await CreateRatio.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "swarm-sim")
        {
            return SwarmSimulation.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "dht-sim")
        {
            return DhtSimulation.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "swarm-inproc")
        {
            return await SwarmInProcess.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "check-ratio")
        {
            return await CheckThroughput.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "idle-memory")
        {
            return await IdleMemory.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "session-scale")
        {
            return await SessionScale.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "mse-cost")
        {
            return MseCost.Run();
        }

        if (args.Length > 0 && args[0] == "parse-growth")
        {
            return ParseGrowth.Run();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
