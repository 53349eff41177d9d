using System.Globalization;
using System.Runtime;

namespace GodotTorrent.Bench;

/// <summary>
/// The runtime's own count of methods compiled so far and the time spent compiling them (all
/// threads): the difference of two snapshots is what the JIT cost between them.
/// </summary>
internal readonly record struct JitSnapshot(long Methods, TimeSpan Time)
{
    public static JitSnapshot Take() => new(JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());

    public static JitSnapshot operator -(JitSnapshot after, JitSnapshot before) => new(after.Methods - before.Methods, after.Time - before.Time);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Methods} methods in {Time.TotalMilliseconds:F1} ms");
}
