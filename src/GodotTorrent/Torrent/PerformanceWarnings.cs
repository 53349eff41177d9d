namespace GodotTorrent.Torrent;

/// <summary>Passes on a torrent's performance warnings at most once a minute, so a steady condition does not flood the alerts.</summary>
internal sealed class PerformanceWarnings(TimeProvider time, Action<string> post)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private DateTimeOffset _last = DateTimeOffset.MinValue;

    public void Warn(string warning)
    {
        var now = time.GetUtcNow();
        if (now - _last < Interval)
        {
            return;
        }

        _last = now;
        post(warning);
    }
}
