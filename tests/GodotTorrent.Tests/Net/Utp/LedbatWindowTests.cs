using GodotTorrent.Net.Utp;

namespace GodotTorrent.Tests.Net.Utp;

/// <summary>LEDBAT's arithmetic (BEP 29, RFC 6817) on its own; the simulated tests check it on a link.</summary>
public sealed class LedbatWindowTests
{
    private const int Packet = 1400;
    private static readonly TimeSpan Target = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Below_the_target_the_window_grows_at_most_the_gain_per_window_of_acks()
    {
        var window = new LedbatWindow(Packet, 1 << 22, Target);
        window.OnLoss(); // out of slow start, at the floor
        long start = window.Window;
        // One window's worth of acks with no queuing delay: at most one gain.
        for (long acked = 0; acked < start; acked += Packet)
        {
            window.OnAck(Packet, queuingDelayMicros: 0, windowLimited: true);
        }

        Assert.InRange(window.Window - start, LedbatWindow.GainBytes - Packet, LedbatWindow.GainBytes + Packet);
    }

    [Fact]
    public void Above_the_target_it_shrinks_in_proportion_to_the_excess_down_to_the_floor()
    {
        var window = Grown();
        long grown = window.Window;
        window.OnAck(Packet * 10, queuingDelayMicros: 110_000, windowLimited: true);
        long tenPercentOver = grown - window.Window;
        Assert.Equal(Packet * 10 * 0.1, tenPercentOver, 1.0);

        var other = Grown();
        other.OnAck(Packet * 10, queuingDelayMicros: 120_000, windowLimited: true);
        Assert.Equal(2.0, (grown - other.Window) / (double)tenPercentOver, 0.01);

        // Half again over the target: a whole window of acks takes half the window.
        var half = Grown();
        long before = half.Window;
        for (long acked = 0; acked < before; acked += Packet)
        {
            half.OnAck(Packet, 150_000, windowLimited: true);
        }

        Assert.InRange(half.Window, before * 0.45, before * 0.55);

        // Twice the target or more (another flow fills the link): one window of acks empties it to the floor.
        var far = Grown();
        for (long acked = 0; acked < before; acked += Packet)
        {
            far.OnAck(Packet, 1_000_000, windowLimited: true);
        }

        Assert.Equal(far.MinWindow, far.Window);
        Assert.Equal(2 * Packet, far.MinWindow);
    }

    private static LedbatWindow Grown()
    {
        var window = new LedbatWindow(Packet, 1 << 22, Target);
        for (int i = 0; i < 400; i++)
        {
            window.OnAck(Packet, 0, windowLimited: true);
        }

        return window;
    }

    [Fact]
    public void At_the_target_it_holds()
    {
        var window = new LedbatWindow(Packet, 1 << 22, Target);
        window.OnLoss();
        for (int i = 0; i < 50; i++)
        {
            window.OnAck(Packet, 0, windowLimited: true);
        }

        long held = window.Window;
        for (int i = 0; i < 1000; i++)
        {
            window.OnAck(Packet, 100_000, windowLimited: true);
        }

        Assert.Equal(held, window.Window);
    }

    [Fact]
    public void Slow_start_doubles_until_the_queue_reaches_half_the_target()
    {
        var window = new LedbatWindow(Packet, 1 << 22, Target);
        Assert.True(window.SlowStart);
        long start = window.Window;
        window.OnAck((int)start, 0, windowLimited: true);
        Assert.True(window.Window >= 2 * start);

        window.OnAck(Packet, 60_000, windowLimited: true);
        Assert.False(window.SlowStart);
        Assert.True(window.SlowStartThreshold > 0);
    }

    [Fact]
    public void Loss_halves_a_time_out_drops_to_one_packet_and_the_ceiling_holds()
    {
        var window = new LedbatWindow(Packet, 64 * Packet, Target);
        for (int i = 0; i < 1000; i++)
        {
            window.OnAck(Packet, 0, windowLimited: true);
        }

        Assert.Equal(64 * Packet, window.Window);
        window.OnLoss();
        Assert.Equal(32 * Packet, window.Window);
        window.OnTimeout();
        Assert.Equal(Packet, window.Window);
        Assert.True(window.SlowStart);
        Assert.Equal(16 * Packet, window.SlowStartThreshold);
        Assert.Equal(2, window.Cutbacks);
    }

    [Fact]
    public void An_application_limited_sender_does_not_grow()
    {
        var window = new LedbatWindow(Packet, 1 << 22, Target);
        long start = window.Window;
        for (int i = 0; i < 1000; i++)
        {
            window.OnAck(Packet, 0, windowLimited: false);
        }

        Assert.Equal(start, window.Window);
    }

    [Fact]
    public void The_base_delay_is_the_minimum_of_the_last_minutes_and_ages_out()
    {
        var history = new DelayHistory();
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(0, history.Add(5_000, now));
        Assert.Equal(20_000, history.Add(25_000, now.AddSeconds(1)));
        Assert.Equal(0, history.Add(4_000, now.AddSeconds(2)));
        // Samples wrap at 2^32 microseconds: "2 below zero" comes 4,002 before 4,000.
        Assert.Equal(0, history.Add(unchecked((uint)-2), now.AddSeconds(3)));
        Assert.Equal(4_002, history.Add(4_000, now.AddSeconds(4)));

        // Four minutes on with a longer path, the old minimum has aged out.
        for (int minute = 1; minute <= 4; minute++)
        {
            history.Add(50_000, now.AddMinutes(minute));
        }

        Assert.Equal(0, history.Add(50_000, now.AddMinutes(4).AddSeconds(1)));
    }

    [Fact]
    public void The_retransmission_time_out_follows_the_round_trip_with_a_floor_and_backs_off()
    {
        var rtt = new RttEstimator();
        Assert.Equal(RttEstimator.InitialTimeout, rtt.Timeout);
        for (int i = 0; i < 50; i++)
        {
            rtt.Sample(TimeSpan.FromMilliseconds(40));
        }

        Assert.Equal(RttEstimator.MinTimeout, rtt.Timeout);
        for (int i = 0; i < 50; i++)
        {
            rtt.Sample(TimeSpan.FromMilliseconds(i % 2 == 0 ? 400 : 800));
        }

        Assert.InRange(rtt.Timeout.TotalMilliseconds, 900, 2500);
        var before = rtt.Timeout;
        rtt.TimedOut();
        Assert.Equal(before * 2, rtt.Timeout);
        for (int i = 0; i < 20; i++)
        {
            rtt.TimedOut();
        }

        Assert.Equal(RttEstimator.MaxTimeout, rtt.Timeout);
        rtt.Acknowledged();
        Assert.Equal(before, rtt.Timeout);
    }
}
