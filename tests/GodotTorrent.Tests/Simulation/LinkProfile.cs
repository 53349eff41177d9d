namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// How one direction of a simulated link behaves: a one-way latency, a bandwidth (0: unlimited),
/// the chance that a connection attempt fails, and the chance that a segment in flight resets
/// the connection (loss that TCP could not hide).
/// </summary>
internal sealed record LinkProfile(TimeSpan Latency, long BytesPerSecond, double ConnectFailure = 0, double Reset = 0)
{
    /// <summary>A fast LAN-like link: 5 ms one way, 8 MiB/s per connection.</summary>
    public static LinkProfile Default { get; } = new(TimeSpan.FromMilliseconds(5), 8L << 20);

    public TimeSpan TransmitTime(int bytes) => TransmitTime(bytes, BytesPerSecond);

    /// <summary>How long <paramref name="bytes"/> take at <paramref name="bytesPerSecond"/> (0: unlimited, no time).</summary>
    public static TimeSpan TransmitTime(long bytes, long bytesPerSecond) =>
        bytesPerSecond <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(bytes * TimeSpan.TicksPerSecond / bytesPerSecond);
}
