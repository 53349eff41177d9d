namespace GodotTorrent.Net.Utp;

/// <summary>
/// Round-trip time and retransmission time-out as BEP 29 (and RFC 6298) compute them, with a
/// floor like libtorrent's <c>utp_min_timeout</c> and exponential back-off on repeated time-outs.
/// </summary>
internal sealed class RttEstimator
{
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan InitialTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(30);

    private long _rttMicros;
    private long _varianceMicros;
    private bool _measured;
    private int _backoff;

    /// <summary>The smoothed round trip, or null before the first sample.</summary>
    public TimeSpan? RoundTrip => _measured ? TimeSpan.FromMicroseconds(_rttMicros) : null;

    /// <summary>Time-outs in a row since the last ack.</summary>
    public int ConsecutiveTimeouts => _backoff;

    /// <summary>How long to wait for an ack before resending.</summary>
    public TimeSpan Timeout
    {
        get
        {
            var basis = _measured
                ? TimeSpan.FromMicroseconds(Math.Max(_rttMicros + 4 * _varianceMicros, (long)MinTimeout.TotalMicroseconds))
                : InitialTimeout;
            var scaled = basis * (1L << Math.Min(_backoff, 6));
            return scaled < MaxTimeout ? scaled : MaxTimeout;
        }
    }

    /// <summary>Adds the round trip of a packet sent once (Karn: resent packets give no sample).</summary>
    public void Sample(TimeSpan roundTrip)
    {
        long sample = Math.Max(0, (long)roundTrip.TotalMicroseconds);
        if (!_measured)
        {
            _rttMicros = sample;
            _varianceMicros = sample / 2;
            _measured = true;
        }
        else
        {
            long delta = _rttMicros - sample;
            _varianceMicros += (Math.Abs(delta) - _varianceMicros) / 4;
            _rttMicros += (sample - _rttMicros) / 8;
        }
    }

    /// <summary>An ack arrived: the back-off ends.</summary>
    public void Acknowledged() => _backoff = 0;

    /// <summary>The time-out fired: wait twice as long next time.</summary>
    public void TimedOut() => _backoff++;
}
