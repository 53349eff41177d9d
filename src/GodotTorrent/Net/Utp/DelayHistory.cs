namespace GodotTorrent.Net.Utp;

/// <summary>
/// LEDBAT's base delay (RFC 6817): the smallest one-way delay sample seen over the last few
/// minutes, kept as one minimum per minute so a route change ages out. Samples carry an unknown
/// clock offset and wrap at 2^32 microseconds; only differences to the base mean anything.
/// </summary>
internal sealed class DelayHistory
{
    private const int Minutes = 3;
    private static readonly TimeSpan Bucket = TimeSpan.FromMinutes(1);

    private readonly uint[] _minima = new uint[Minutes];
    private int _filled;
    private int _current;
    private DateTimeOffset _bucketStart;

    /// <summary>The base delay (raw sample units), valid once a sample arrived.</summary>
    public uint Base { get; private set; }

    public bool HasBase => _filled > 0;

    /// <summary>Adds a sample and returns the queuing delay it shows: the sample minus the base, in microseconds (never negative).</summary>
    public long Add(uint sample, DateTimeOffset now)
    {
        if (_filled == 0)
        {
            _minima[0] = sample;
            _filled = 1;
            _current = 0;
            _bucketStart = now;
            Base = sample;
            return 0;
        }

        if (now - _bucketStart >= Bucket)
        {
            _current = (_current + 1) % Minutes;
            _filled = Math.Min(_filled + 1, Minutes);
            _minima[_current] = sample;
            _bucketStart = now;
            Base = Smallest();
        }
        else if (Earlier(sample, _minima[_current]))
        {
            _minima[_current] = sample;
        }

        if (Earlier(sample, Base))
        {
            Base = sample;
        }

        return Math.Max(0, (int)(sample - Base));
    }

    private uint Smallest()
    {
        uint smallest = _minima[_current];
        for (int i = 0; i < _filled; i++)
        {
            if (Earlier(_minima[i], smallest))
            {
                smallest = _minima[i];
            }
        }

        return smallest;
    }

    // Wrap-around comparison: a is smaller when b - a, read as signed, is positive.
    private static bool Earlier(uint a, uint b) => (int)(b - a) > 0;
}
