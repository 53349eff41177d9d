namespace GodotTorrent.Swarm;

/// <summary>
/// Bytes per second over a sliding window of one-second buckets. Added to from any thread,
/// ticked once a second by the engine loop.
/// </summary>
internal sealed class RateMeter
{
    private const int Buckets = 20;
    private readonly long[] _samples = new long[Buckets];
    private long _current;
    private long _total;
    private int _next;
    private int _filled;

    /// <summary>Bytes counted since the meter was created.</summary>
    public long Total => Interlocked.Read(ref _total);

    public void Add(long bytes)
    {
        Interlocked.Add(ref _current, bytes);
        Interlocked.Add(ref _total, bytes);
    }

    /// <summary>Closes the current one-second bucket.</summary>
    public void Tick()
    {
        _samples[_next] = Interlocked.Exchange(ref _current, 0);
        _next = (_next + 1) % Buckets;
        _filled = Math.Min(_filled + 1, Buckets);
    }

    /// <summary>Average bytes per second over the last <paramref name="seconds"/> seconds (at most 20).</summary>
    public long Rate(int seconds = 5)
    {
        int count = Math.Min(Math.Min(seconds, Buckets), _filled);
        if (count == 0)
        {
            return 0;
        }

        long sum = 0;
        for (int i = 1; i <= count; i++)
        {
            sum += _samples[(_next - i + Buckets) % Buckets];
        }

        return sum / count;
    }
}
