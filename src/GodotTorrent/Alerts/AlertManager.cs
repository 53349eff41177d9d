namespace GodotTorrent.Alerts;

/// <summary>
/// The session's alert queue: bounded (overflow drops the oldest alerts and reports the loss
/// with one <see cref="AlertsDroppedAlert"/>), filtered by a category mask, drained by
/// <see cref="PopAlerts()"/>, and mirrored as events raised on the
/// <see cref="SynchronizationContext"/> captured when the session was created (Godot's main
/// thread), or on the engine thread when there was none.
/// </summary>
public sealed class AlertManager
{
    private readonly object _gate = new();
    private readonly Queue<Alert> _queue = new();
    private readonly Dictionary<string, int> _dropped = new(StringComparer.Ordinal);
    private readonly SynchronizationContext? _context;
    private readonly Queue<Alert> _undelivered = new();
    private bool _deliveryScheduled;
    private bool _availablePending;
    private int _mask;
    private long _droppedTotal;
    private TaskCompletionSource? _waiter;

    /// <summary>Creates a queue of at most <paramref name="capacity"/> alerts.</summary>
    public AlertManager(int capacity = 1000, AlertCategory mask = AlertCategory.Default, SynchronizationContext? context = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _mask = (int)mask;
        _context = context;
    }

    /// <summary>
    /// Raised for every alert that passes the mask, in order, on the captured context. Without one
    /// (a console app or a server) it is raised on the engine thread: a handler's exception is then
    /// logged and the engine carries on, and a handler must not block on the session's own tasks
    /// (<c>.Result</c>, <c>.Wait()</c>), which need that thread.
    /// </summary>
    public event EventHandler<AlertPostedEventArgs>? AlertPosted;

    /// <summary>Raised on the captured context when the queue goes from empty to non-empty.</summary>
    public event EventHandler? AlertsAvailable;

    /// <summary>Most alerts kept before the oldest are dropped.</summary>
    public int Capacity { get; }

    /// <summary>The categories that are queued; others are discarded when posted.</summary>
    public AlertCategory Mask
    {
        get => (AlertCategory)Volatile.Read(ref _mask);
        set => Volatile.Write(ref _mask, (int)value);
    }

    /// <summary>Number of alerts waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count + (_dropped.Count > 0 ? 1 : 0);
            }
        }
    }

    /// <summary>Alerts dropped since the queue was created because it was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _droppedTotal);

    /// <summary>Turns categories on.</summary>
    public void Enable(AlertCategory categories) => Update(categories, on: true);

    /// <summary>Turns categories off.</summary>
    public void Disable(AlertCategory categories) => Update(categories, on: false);

    /// <summary>The seed's <c>enable_*_alerts</c>: turns one category on or off.</summary>
    public void SetEnabled(AlertCategory categories, bool enabled) => Update(categories, enabled);

    /// <summary>True when every flag of <paramref name="categories"/> is enabled.</summary>
    public bool IsEnabled(AlertCategory categories) => (Mask & categories) == categories;

    /// <summary>Removes and returns every waiting alert, oldest first.</summary>
    public IReadOnlyList<Alert> PopAlerts() => PopWhere(static _ => true);

    /// <summary>Removes and returns the waiting alerts of any of <paramref name="categories"/>; others stay queued.</summary>
    public IReadOnlyList<Alert> PopAlerts(AlertCategory categories) => PopWhere(a => (a.Category & categories) != 0);

    /// <summary>Removes and returns the waiting alerts of type <typeparamref name="T"/>; others stay queued.</summary>
    public IReadOnlyList<T> PopAlerts<T>()
        where T : Alert => PopWhere(static a => a is T).Cast<T>().ToList();

    /// <summary>Discards every waiting alert.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
            _dropped.Clear();
        }
    }

    /// <summary>
    /// Waits until at least one alert is queued, the timeout passes or the token is cancelled;
    /// true when alerts are waiting.
    /// </summary>
    public async Task<bool> WaitForAlertsAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Task wait;
        lock (_gate)
        {
            if (_queue.Count > 0 || _dropped.Count > 0)
            {
                return true;
            }

            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _waiter.Task;
        }

        try
        {
            await wait.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        return Count > 0;
    }

    /// <summary>Queues an alert if its category is enabled. Called by the engine.</summary>
    internal void Post(Alert alert)
    {
        if ((alert.Category & Mask) == 0)
        {
            return;
        }

        bool becameAvailable;
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            becameAvailable = _queue.Count == 0 && _dropped.Count == 0;
            if (_queue.Count >= Capacity)
            {
                var oldest = _queue.Dequeue();
                Interlocked.Increment(ref _droppedTotal);
                _dropped[oldest.TypeName] = _dropped.GetValueOrDefault(oldest.TypeName) + 1;
            }

            _queue.Enqueue(alert);
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
        if (AlertPosted is null && (AlertsAvailable is null || !becameAvailable))
        {
            return;
        }

        Deliver(alert, becameAvailable);
    }

    private void Deliver(Alert alert, bool becameAvailable)
    {
        if (_context is null)
        {
            // On the engine thread, inside whatever engine code posted the alert: an app handler's
            // exception there aborted that code half-way (StartAsync without its timer, say).
            if (AlertPosted is { } posted)
            {
                var args = new AlertPostedEventArgs(alert);
                foreach (var handler in posted.GetInvocationList())
                {
                    try
                    {
                        ((EventHandler<AlertPostedEventArgs>)handler)(this, args);
                    }
                    catch (Exception e)
                    {
                        HandlerFailed?.Invoke(e);
                    }
                }
            }

            if (becameAvailable && AlertsAvailable is { } available)
            {
                foreach (var handler in available.GetInvocationList())
                {
                    try
                    {
                        ((EventHandler)handler)(this, EventArgs.Empty);
                    }
                    catch (Exception e)
                    {
                        HandlerFailed?.Invoke(e);
                    }
                }
            }

            return;
        }

        // One callback per burst: the context (a game's main thread) is not flooded with posts.
        lock (_undelivered)
        {
            _undelivered.Enqueue(alert);
            _availablePending |= becameAvailable;
            if (_deliveryScheduled)
            {
                return;
            }

            _deliveryScheduled = true;
        }

        _context.Post(static state => ((AlertManager)state!).DeliverPending(), this);
    }

    /// <summary>
    /// Told about an exception thrown by an event handler raised on the engine thread (no
    /// synchronization context); the session logs it. The engine carries on either way.
    /// </summary>
    internal Action<Exception>? HandlerFailed { get; set; }

    private void DeliverPending()
    {
        List<Alert> batch;
        bool available;
        lock (_undelivered)
        {
            batch = [.. _undelivered];
            _undelivered.Clear();
            _deliveryScheduled = false;
            available = _availablePending;
            _availablePending = false;
        }

        foreach (var alert in batch)
        {
            AlertPosted?.Invoke(this, new AlertPostedEventArgs(alert));
        }

        if (available && AlertsAvailable is not null && Count > 0)
        {
            AlertsAvailable.Invoke(this, EventArgs.Empty);
        }
    }

    private List<Alert> PopWhere(Func<Alert, bool> match)
    {
        lock (_gate)
        {
            var result = new List<Alert>(_queue.Count + 1);
            if (_dropped.Count > 0)
            {
                var dropped = new AlertsDroppedAlert(_dropped.Values.Sum(), new Dictionary<string, int>(_dropped, StringComparer.Ordinal));
                if (match(dropped))
                {
                    result.Add(dropped);
                    _dropped.Clear();
                }
            }

            int count = _queue.Count;
            for (int i = 0; i < count; i++)
            {
                var alert = _queue.Dequeue();
                if (match(alert))
                {
                    result.Add(alert);
                }
                else
                {
                    _queue.Enqueue(alert);
                }
            }

            return result;
        }
    }

    private void Update(AlertCategory categories, bool on)
    {
        int current, next;
        do
        {
            current = Volatile.Read(ref _mask);
            next = on ? current | (int)categories : current & ~(int)categories;
        }
        while (Interlocked.CompareExchange(ref _mask, next, current) != current);
    }
}
