namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// How one direction of a simulated link behaves: a one-way latency, a bandwidth (0: unlimited),
/// the chance that a connection attempt fails, and the chance that a segment in flight resets
/// the connection (loss that TCP could not hide). Datagrams (UDP) see the rest: the chance one is
/// lost (<paramref name="Loss"/>), the chance one arrives twice (<paramref name="Duplicate"/>), a random
/// extra delay up to <paramref name="Jitter"/> each (which reorders them), and the drop-tail
/// <see cref="QueueLimit"/> of the lines they wait on.
/// </summary>
internal sealed record LinkProfile(
    TimeSpan Latency,
    long BytesPerSecond,
    double ConnectFailure = 0,
    double Reset = 0,
    double Loss = 0,
    double Duplicate = 0,
    TimeSpan Jitter = default)
{
    /// <summary>A fast LAN-like link: 5 ms one way, 8 MiB/s per connection.</summary>
    public static LinkProfile Default { get; } = new(TimeSpan.FromMilliseconds(5), 8L << 20);

    /// <summary>
    /// The most transmit time a datagram may find queued ahead of it on a line it takes (this
    /// link's flow, the sender's uplink, the receiver's downlink); beyond it the datagram is dropped,
    /// as a router's full buffer drops the newest (drop-tail). Zero: unlimited. TCP segments are
    /// never dropped here, but they fill the shared lines, so datagrams behind them wait or drop.
    /// </summary>
    public TimeSpan QueueLimit { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan TransmitTime(int bytes) => TransmitTime(bytes, BytesPerSecond);

    /// <summary>How long <paramref name="bytes"/> take at <paramref name="bytesPerSecond"/> (0: unlimited, no time).</summary>
    public static TimeSpan TransmitTime(long bytes, long bytesPerSecond) =>
        bytesPerSecond <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(bytes * TimeSpan.TicksPerSecond / bytesPerSecond);
}
