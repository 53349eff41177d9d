namespace GodotTorrent.Net.Utp;

/// <summary>
/// LEDBAT congestion control (BEP 29, RFC 6817), pure arithmetic: under the target queuing delay
/// the window grows with the gap, by at most <see cref="GainBytes"/> (or a packet) per round trip;
/// over it, it shrinks in proportion to the excess, to the floor per round trip at twice the target. It halves on
/// loss, drops to one packet on a time-out and stays between a floor of two packets and a
/// ceiling. Slow start doubles per round trip only while the queue is under half the target.
/// </summary>
internal sealed class LedbatWindow
{
    /// <summary>BEP 29's maximum growth per round trip (libtorrent's gain factor).</summary>
    public const int GainBytes = 3000;

    /// <summary>
    /// The largest share of the window one window of acks over the target takes away: all of it
    /// (down to the floor) once the queue is twice the target, which is when another flow is
    /// plainly filling the link.
    /// </summary>
    public const double MaxDecrease = 1.0;

    private readonly long _maxWindow;
    private double _window;

    public LedbatWindow(int packetSize, long maxWindow, TimeSpan target)
    {
        PacketSize = packetSize;
        _maxWindow = Math.Max(maxWindow, 2L * packetSize);
        Target = target;
        _window = MinWindow;
        SlowStartThreshold = _maxWindow;
    }

    /// <summary>The largest payload one packet carries; the floor and the gain follow it.</summary>
    public int PacketSize { get; private set; }

    public TimeSpan Target { get; set; }

    /// <summary>The window in bytes: how much may be in flight.</summary>
    public long Window => (long)_window;

    public bool SlowStart { get; private set; } = true;

    public long SlowStartThreshold { get; private set; }

    public long MinWindow => 2L * PacketSize;

    /// <summary>Losses that shrank the window (fast retransmit, selective ack, time-out).</summary>
    public int Cutbacks { get; private set; }

    /// <summary>Another packet size for the path (the peer takes large packets, or large packets got lost): the floor follows.</summary>
    public void SetPacketSize(int packetSize)
    {
        PacketSize = packetSize;
        _window = Math.Max(_window, MinWindow);
    }

    /// <summary>
    /// An ack for <paramref name="ackedBytes"/> with the queuing delay it showed (null: no
    /// sample yet). <paramref name="windowLimited"/> says whether the window, not the
    /// application, held sending back: an idle sender's window does not grow (RFC 6817).
    /// </summary>
    public void OnAck(int ackedBytes, long? queuingDelayMicros, bool windowLimited)
    {
        if (ackedBytes <= 0)
        {
            return;
        }

        double targetMicros = Target.TotalMicroseconds;
        double offTarget = queuingDelayMicros is { } delay ? targetMicros - delay : targetMicros;
        double gain;
        if (offTarget >= 0)
        {
            // Under the target: BEP 29's additive increase, at most one gain per window of acks.
            double windowFactor = Math.Min(ackedBytes, _window) / Math.Max(_window, ackedBytes);
            gain = Math.Max(GainBytes, PacketSize) * (offTarget / targetMicros) * windowFactor;
        }
        else
        {
            // Over it: shrink in proportion to the excess (multiplicative, as LEDBAT++ does), so the
            // queue drains within a round trip or two when other traffic arrives, instead of BEP
            // 29's few thousand bytes per round trip.
            gain = -ackedBytes * Math.Min(MaxDecrease, -offTarget / targetMicros);
        }

        if (SlowStart)
        {
            if (queuingDelayMicros > targetMicros / 2)
            {
                SlowStart = false;
                SlowStartThreshold = (long)_window;
            }
            else if (windowLimited)
            {
                // Doubling per round trip, but never more than the threshold.
                gain = Math.Max(gain, ackedBytes);
            }
        }

        if (gain > 0 && !windowLimited)
        {
            gain = 0;
        }

        _window = Math.Clamp(_window + gain, MinWindow, _maxWindow);
        if (SlowStart && _window >= SlowStartThreshold)
        {
            SlowStart = false;
        }
    }

    /// <summary>A packet was lost (three duplicate acks or a selective-ack gap): halve.</summary>
    public void OnLoss()
    {
        Cutbacks++;
        SlowStart = false;
        _window = Math.Max(_window / 2, MinWindow);
        SlowStartThreshold = (long)_window;
    }

    /// <summary>Nothing was acked for a whole time-out: one packet, then slow start up to half the old window.</summary>
    public void OnTimeout()
    {
        Cutbacks++;
        SlowStartThreshold = Math.Max((long)(_window / 2), MinWindow);
        _window = PacketSize;
        SlowStart = true;
    }
}
