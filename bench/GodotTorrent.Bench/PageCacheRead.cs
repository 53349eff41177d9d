using System.Diagnostics;

namespace GodotTorrent.Bench;

/// <summary>
/// What reading a file that is in the page cache costs, piece by piece on every core, without
/// hashing it: the copy out of the kernel that any check or creation without a memory map pays.
/// Beside raw SHA-1 it gives the ceiling of a read-then-hash pass, 1 / (1 / SHA-1 + 1 / read).
/// </summary>
internal static class PageCacheRead
{
    /// <summary>Bytes per second of wall time and per CPU second, reading <paramref name="path"/> once.</summary>
    public static (double PerSecond, double PerCpuSecond) Measure(string path, int pieceLength, int cores)
    {
        using var handle = File.OpenHandle(path);
        long size = RandomAccess.GetLength(handle);
        long pieces = (size + pieceLength - 1) / pieceLength;
        long next = -1;
        var cpu = MachineLoad.ProcessCpu();
        var clock = Stopwatch.StartNew();
        Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, _ =>
        {
            var buffer = new byte[pieceLength];
            for (long piece = Interlocked.Increment(ref next); piece < pieces; piece = Interlocked.Increment(ref next))
            {
                RandomAccess.Read(handle, buffer, piece * pieceLength);
            }
        });
        return (size / clock.Elapsed.TotalSeconds, size / (MachineLoad.ProcessCpu() - cpu).TotalSeconds);
    }

    /// <summary>The throughput of reading then hashing, when the two take <paramref name="hash"/> and <paramref name="read"/> alone.</summary>
    public static double Ceiling(double hash, double read) => 1 / ((1 / hash) + (1 / read));
}
