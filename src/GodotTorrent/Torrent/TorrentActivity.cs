namespace GodotTorrent.Torrent;

/// <summary>
/// A torrent's activity bookkeeping: active and seeding time, when payload last moved, and the
/// minute of transfer totals the session's queue uses to judge a torrent slow. Engine loop only.
/// </summary>
internal sealed class TorrentActivity
{
    /// <summary>How long a torrent runs before it may count as slow.</summary>
    public static readonly TimeSpan SlowGracePeriod = TimeSpan.FromMinutes(1);

    private readonly Queue<(DateTimeOffset At, long Down, long Up)> _rateSamples = new();
    private DateTimeOffset _activeSince;
    private long _lastDownloadTotal;
    private long _lastUploadTotal;

    public TimeSpan ActiveTime { get; private set; }

    public TimeSpan SeedingTime { get; private set; }

    public DateTimeOffset? LastPayloadIn { get; private set; }

    public DateTimeOffset? LastPayloadOut { get; private set; }

    /// <summary>Counts <paramref name="elapsed"/> of running (and seeding) time and notes payload that moved.</summary>
    public void Tick(DateTimeOffset now, TimeSpan elapsed, bool running, bool seeding, long downloaded, long uploaded)
    {
        if (running)
        {
            ActiveTime += elapsed;
            if (seeding)
            {
                SeedingTime += elapsed;
            }
        }

        if (downloaded != _lastDownloadTotal)
        {
            _lastDownloadTotal = downloaded;
            LastPayloadIn = now;
        }

        if (uploaded != _lastUploadTotal)
        {
            _lastUploadTotal = uploaded;
            LastPayloadOut = now;
        }
    }

    /// <summary>The queue started the torrent: its slowness is judged afresh after the grace period.</summary>
    public void Started(DateTimeOffset now)
    {
        _activeSince = now;
        _rateSamples.Clear();
    }

    /// <summary>Keeps a minute of transfer totals to judge slowness.</summary>
    public void SampleRates(DateTimeOffset now, long downloaded, long uploaded)
    {
        if (_activeSince == default)
        {
            _activeSince = now;
        }

        _rateSamples.Enqueue((now, downloaded, uploaded));
        while (_rateSamples.Count > 1 && now - _rateSamples.Peek().At > SlowGracePeriod)
        {
            _rateSamples.Dequeue();
        }
    }

    /// <summary>
    /// True when the torrent has run for the grace period and moved less than
    /// <paramref name="slowRate"/> (download while downloading, upload while complete) over the last minute.
    /// </summary>
    public bool IsSlow(DateTimeOffset now, bool complete, long downloaded, long uploaded, double slowRate)
    {
        if (now - _activeSince < SlowGracePeriod || _rateSamples.Count == 0)
        {
            return false;
        }

        var (at, down, up) = _rateSamples.Peek();
        double seconds = (now - at).TotalSeconds;
        if (seconds < SlowGracePeriod.TotalSeconds / 2)
        {
            return false;
        }

        double rate = complete ? (uploaded - up) / seconds : (downloaded - down) / seconds;
        return rate < slowRate;
    }
}
