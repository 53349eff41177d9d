using System.Diagnostics;

namespace GodotTorrent.Bench;

/// <summary>
/// The load average, printed beside every ratio (the machine is shared, and a ratio means little
/// without it), and this process' CPU time, which the neighbours' load does not inflate.
/// </summary>
internal static class MachineLoad
{
    public static string Describe() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>User and system CPU time of this process so far, all threads.</summary>
    public static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
