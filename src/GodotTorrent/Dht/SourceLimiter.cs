using System.Net;

namespace GodotTorrent.Dht;

/// <summary>
/// Queries served per source address: a token bucket each (<see cref="PerSecond"/>, bursts of
/// twice that), in a table of at most <see cref="MaxSources"/> addresses that is emptied when
/// full, so a flood of spoofed sources costs a reset, not memory.
/// </summary>
internal sealed class SourceLimiter(TimeProvider time)
{
    public const int MaxSources = 4096;
    public const double PerSecond = 20;
    private const double Burst = 2 * PerSecond;

    private readonly Dictionary<IPAddress, (double Tokens, long Stamp)> _sources = [];

    public int Count => _sources.Count;

    public bool Allow(IPAddress source)
    {
        long now = time.GetTimestamp();
        double tokens = Burst;
        if (_sources.TryGetValue(source, out var entry))
        {
            double seconds = (now - entry.Stamp) / (double)time.TimestampFrequency;
            tokens = Math.Min(Burst, entry.Tokens + (seconds * PerSecond));
        }
        else if (_sources.Count >= MaxSources)
        {
            _sources.Clear();
        }

        bool allowed = tokens >= 1;
        _sources[source] = (allowed ? tokens - 1 : tokens, now);
        return allowed;
    }
}
