namespace GodotTorrent.Swarm;

/// <summary>
/// A token bucket of bytes: tokens accrue at <see cref="BytesPerSecond"/> up to <see cref="Capacity"/>,
/// and a transfer spends them. 0 bytes per second means unlimited. Time comes from the injected
/// <see cref="TimeProvider"/>. Used on the engine loop only; no locks.
/// </summary>
/// <remarks>
/// The bucket starts empty, so a new limit is never overshot by an initial burst; after idle time (or a
/// stalled engine loop) it may burst by at most <see cref="Capacity"/> = a quarter second of rate (at least
/// one 16 KiB block, so a single block can always pass at very low limits). A small burst keeps the average
/// within a few percent of the limit over any window of seconds; the engine spends tokens every 50 ms, so a
/// quarter second still leaves room for a late refill. A forced <see cref="Consume"/> may leave the bucket in debt,
/// which later refills repay: the long-run rate stays exact even for transfers larger than the capacity.
/// </remarks>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private long _rate;
    private double _tokens;
    private long _stamp;

    /// <summary>Creates a bucket.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="bytesPerSecond">The limit; 0 = unlimited.</param>
    /// <param name="minimumCapacity">The least burst, default one block (a smaller bucket could never pass a block at once).</param>
    public TokenBucket(TimeProvider time, long bytesPerSecond = 0, int minimumCapacity = BlockRequest.BlockSize)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimumCapacity);
        _time = time;
        _rate = bytesPerSecond;
        MinimumCapacity = minimumCapacity;
        _stamp = time.GetTimestamp();
    }

    /// <summary>The least capacity whatever the rate.</summary>
    public int MinimumCapacity { get; }

    /// <summary>The limit in bytes per second; 0 = unlimited. Changing it keeps the tokens earned so far.</summary>
    public long BytesPerSecond
    {
        get => _rate;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Refill();
            _rate = value;
            _tokens = Math.Min(_tokens, Capacity);
        }
    }

    /// <summary>True when there is no limit.</summary>
    public bool IsUnlimited => _rate == 0;

    /// <summary>How much of a second of rate the bucket holds at most: the largest burst.</summary>
    public const double BurstSeconds = 0.25;

    /// <summary>The most tokens the bucket holds: <see cref="BurstSeconds"/> of rate, at least <see cref="MinimumCapacity"/>.</summary>
    public long Capacity => Math.Max((long)(_rate * BurstSeconds), MinimumCapacity);

    /// <summary>Whole tokens available now (<see cref="long.MaxValue"/> when unlimited; 0 while in debt).</summary>
    public long Available
    {
        get
        {
            if (IsUnlimited)
            {
                return long.MaxValue;
            }

            Refill();
            return (long)Math.Max(0, Math.Floor(_tokens));
        }
    }

    /// <summary>Takes up to <paramref name="wanted"/> bytes' worth of tokens; returns how many were granted (maybe 0).</summary>
    public int TryConsume(int wanted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wanted);
        if (IsUnlimited)
        {
            return wanted;
        }

        int granted = (int)Math.Min(wanted, Available);
        _tokens -= granted;
        return granted;
    }

    /// <summary>Spends <paramref name="bytes"/> whether or not they are there (the bucket may go into debt).</summary>
    public void Consume(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (!IsUnlimited)
        {
            Refill();
            _tokens -= bytes;
        }
    }

    /// <summary>Gives back tokens taken but not used (another bucket in the chain granted less).</summary>
    public void Refund(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (!IsUnlimited)
        {
            _tokens = Math.Min(_tokens + bytes, Capacity);
        }
    }

    /// <summary>
    /// How long until <paramref name="bytes"/> (capped at <see cref="Capacity"/>, which is all the bucket
    /// can hold) are available; zero when they are now.
    /// </summary>
    public TimeSpan WhenAvailable(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (IsUnlimited)
        {
            return TimeSpan.Zero;
        }

        Refill();
        double missing = Math.Min(bytes, Capacity) - _tokens;
        return missing <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Ceiling(missing * TimeSpan.TicksPerSecond / _rate));
    }

    private void Refill()
    {
        long now = _time.GetTimestamp();
        if (!IsUnlimited)
        {
            double seconds = (double)(now - _stamp) / _time.TimestampFrequency;
            _tokens = Math.Min(Capacity, _tokens + (seconds * _rate));
        }

        _stamp = now;
    }
}
