using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also knows when its next timer is due, so the stepped
/// scheduler can jump straight there instead of creeping forward.
/// </summary>
internal sealed class SimClock : FakeTimeProvider
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<TrackedTimer> _timers = [];

    public SimClock()
        : base(Epoch)
    {
    }

    /// <summary>Virtual time since the simulation started.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Epoch;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this);
        lock (_timers)
        {
            timer.Schedule(GetUtcNow(), dueTime, period);
            _timers.Add(timer);
        }

        // The base may fire a timer due now at once, so the tracker is in place before.
        timer.Inner = base.CreateTimer(
            s =>
            {
                timer.Fired = true;
                callback(s);
            },
            state,
            dueTime,
            period);
        return timer;
    }

    /// <summary>When the earliest live timer fires next, or null when none is set.</summary>
    public DateTimeOffset? NextDue()
    {
        var now = GetUtcNow();
        DateTimeOffset? next = null;
        lock (_timers)
        {
            _timers.RemoveAll(t => !t.Refresh(now));
            foreach (var timer in _timers)
            {
                if (next is null || timer.Due < next.Value)
                {
                    next = timer.Due;
                }
            }
        }

        return next;
    }

    public void AdvanceTo(DateTimeOffset time)
    {
        var now = GetUtcNow();
        if (time > now)
        {
            Advance(time - now);
        }
        else
        {
            // Fires whatever is due now without moving the clock.
            Advance(TimeSpan.Zero);
        }
    }

    private sealed class TrackedTimer(SimClock clock) : ITimer
    {
        private TimeSpan _period;
        private bool _active;

        public ITimer? Inner { get; set; }

        public DateTimeOffset Due { get; private set; }

        public bool Fired { get; set; }

        public void Schedule(DateTimeOffset now, TimeSpan dueTime, TimeSpan period)
        {
            _active = dueTime != Timeout.InfiniteTimeSpan;
            Due = _active ? now + dueTime : DateTimeOffset.MaxValue;
            _period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            Fired = false;
        }

        /// <summary>Rolls a fired periodic timer forward; false when the timer will not fire again.</summary>
        public bool Refresh(DateTimeOffset now)
        {
            if (!_active)
            {
                return false;
            }

            if (Fired)
            {
                Fired = false;
                if (_period <= TimeSpan.Zero)
                {
                    _active = false;
                    return false;
                }

                do
                {
                    Due += _period;
                }
                while (Due <= now);
            }

            return true;
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._timers)
            {
                Schedule(clock.GetUtcNow(), dueTime, period);
                if (_active && !clock._timers.Contains(this))
                {
                    clock._timers.Add(this);
                }
            }

            return Inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            _active = false;
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
