namespace GodotTorrent.Swarm;

/// <summary>
/// One direction (upload or download) of one torrent's rate limit: its own bucket, then the session's
/// global bucket for the same direction, so a transfer passes only when both allow it. Either may be
/// null or unlimited (0). Used on the engine loop only; no locks.
/// </summary>
internal sealed class RateLimiter
{
    private readonly TimeProvider _time;

    /// <summary>Creates a limiter over the torrent's bucket and the global one.</summary>
    public RateLimiter(TimeProvider time, TokenBucket? torrent, TokenBucket? global)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        Torrent = torrent;
        Global = global;
    }

    /// <summary>The torrent's own bucket, or null.</summary>
    public TokenBucket? Torrent { get; }

    /// <summary>The session-wide bucket shared by every torrent, or null.</summary>
    public TokenBucket? Global { get; }

    /// <summary>
    /// Spends a whole block's <paramref name="bytes"/> from both buckets, or nothing at all: a
    /// partial grant is given back, or the tokens short of a block would be lost and the limit undershot.
    /// </summary>
    public bool TryConsumeAll(int bytes)
    {
        int local = Torrent?.TryConsume(bytes) ?? bytes;
        if (local < bytes)
        {
            Torrent?.Refund(local);
            return false;
        }

        int shared = Global?.TryConsume(bytes) ?? bytes;
        if (shared < bytes)
        {
            Global?.Refund(shared);
            Torrent?.Refund(bytes);
            return false;
        }

        return true;
    }

    /// <summary>Grants up to <paramref name="wanted"/> bytes now (maybe 0) and spends them from both buckets.</summary>
    public int TryConsume(int wanted)
    {
        int local = Torrent?.TryConsume(wanted) ?? wanted;
        if (local == 0)
        {
            return 0;
        }

        int granted = Global?.TryConsume(local) ?? local;
        if (granted < local)
        {
            Torrent?.Refund(local - granted);
        }

        return granted;
    }

    /// <summary>How long until both buckets can pass <paramref name="bytes"/> (each capped at its capacity).</summary>
    public TimeSpan WhenAvailable(int bytes)
    {
        TimeSpan a = Torrent?.WhenAvailable(bytes) ?? TimeSpan.Zero;
        TimeSpan b = Global?.WhenAvailable(bytes) ?? TimeSpan.Zero;
        return a > b ? a : b;
    }

    /// <summary>
    /// Waits on the injected clock until both buckets can pass <paramref name="bytes"/>, then spends them all
    /// (a transfer larger than a bucket's capacity leaves it in debt, repaid by later refills).
    /// </summary>
    public async ValueTask WaitAsync(int bytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        while (true)
        {
            TimeSpan delay = WhenAvailable(bytes);
            if (delay <= TimeSpan.Zero)
            {
                Torrent?.Consume(bytes);
                Global?.Consume(bytes);
                return;
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
