namespace GodotTorrent.Engine;

/// <summary>
/// A scheduler the caller steps by hand, for deterministic simulation: every ready work item
/// runs in FIFO order on the caller's thread; when none is ready, the virtual clock jumps to the
/// next due event (a timed item or a timer of the clock). Many sessions share one scheduler, each
/// through its own <see cref="SteppedEngineLoop"/>, so the whole swarm is one ordered run.
/// </summary>
/// <remarks>
/// Posting is safe from any thread (a stray continuation still lands in the queue); running is
/// for one thread at a time.
/// </remarks>
internal sealed class SteppedScheduler : SynchronizationContext, IBackgroundRunner
{
    // The condition is checked between items this often, besides every time the queue runs dry.
    private const int ConditionCheckInterval = 1024;

    private readonly object _lock = new();
    private readonly Queue<WorkItem> _ready = new();
    private readonly PriorityQueue<WorkItem, (DateTimeOffset Due, long Sequence)> _timed = new();
    private readonly Func<DateTimeOffset?> _nextTimerDue;
    private readonly Action<DateTimeOffset> _advanceTo;
    private readonly List<Exception> _errors = [];
    private long _sequence;
    private int _runningThread = -1;

    /// <param name="time">The virtual clock every simulated component reads.</param>
    /// <param name="nextTimerDue">When the clock's next timer is due (null: none).</param>
    /// <param name="advanceTo">Moves the clock to a time, firing the timers due by then.</param>
    public SteppedScheduler(TimeProvider time, Func<DateTimeOffset?> nextTimerDue, Action<DateTimeOffset> advanceTo)
    {
        Time = time;
        _nextTimerDue = nextTimerDue;
        _advanceTo = advanceTo;
    }

    public TimeProvider Time { get; }

    /// <summary>Work items run so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Exceptions that escaped work items that had no error handler of their own.</summary>
    public IReadOnlyList<Exception> Errors => _errors;

    /// <summary>True while a step runs on the calling thread.</summary>
    public bool IsRunning => Environment.CurrentManagedThreadId == Volatile.Read(ref _runningThread);

    public override void Post(SendOrPostCallback d, object? state) => Enqueue(new WorkItem(this, d, state, null));

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("The stepped scheduler never blocks a caller; use Post.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>A loop for one session on this scheduler.</summary>
    public EngineLoop CreateLoop(Action<Exception>? onError) => new SteppedEngineLoop(this, onError);

    /// <summary>Runs <paramref name="action"/> once the virtual clock reaches now + <paramref name="delay"/>.</summary>
    public void PostAfter(TimeSpan delay, Action action)
    {
        var item = new WorkItem(this, static s => ((Action)s!)(), action, null);
        if (delay <= TimeSpan.Zero)
        {
            Enqueue(item);
            return;
        }

        lock (_lock)
        {
            _timed.Enqueue(item, (Time.GetUtcNow() + delay, _sequence++));
        }
    }

    public Task Run(Func<Task> work) => Run(async () =>
    {
        await work().ConfigureAwait(true);
        return true;
    });

    public Task<T> Run<T>(Func<Task<T>> work)
    {
        var started = new TaskCompletionSource<Task<T>>();
        Post(_ =>
        {
            Task<T> task;
            try
            {
                task = work();
            }
#pragma warning disable CA1031 // The failure belongs to the returned task, as with Task.Run.
            catch (Exception e)
#pragma warning restore CA1031
            {
                task = Task.FromException<T>(e);
            }

            started.SetResult(task);
        }, null);
        return started.Task.Unwrap();
    }

    /// <summary>Runs until <paramref name="task"/> completes or <paramref name="timeout"/> of virtual time passes; true when it completed.</summary>
    public bool RunUntilComplete(Task task, TimeSpan timeout) => RunUntil(() => task.IsCompleted, timeout);

    /// <summary>
    /// Runs work items and moves the virtual clock until <paramref name="done"/> holds or
    /// <paramref name="timeout"/> of virtual time has passed (then the clock stands at the
    /// deadline). Returns whether <paramref name="done"/> held.
    /// </summary>
    public bool RunUntil(Func<bool> done, TimeSpan timeout)
    {
        var deadline = Time.GetUtcNow() + timeout;
        var previous = Current;
        int previousThread = Interlocked.Exchange(ref _runningThread, Environment.CurrentManagedThreadId);
        SetSynchronizationContext(this);
        try
        {
            while (true)
            {
                RunReady(done);
                if (done())
                {
                    return true;
                }

                var next = NextDue();
                if (next is null || next.Value > deadline)
                {
                    if (Time.GetUtcNow() < deadline)
                    {
                        _advanceTo(deadline);
                        ReleaseDue();
                        continue;
                    }

                    return done();
                }

                if (next.Value > Time.GetUtcNow())
                {
                    _advanceTo(next.Value);
                }
                else
                {
                    // A timer already due fires on a zero advance.
                    _advanceTo(Time.GetUtcNow());
                }

                ReleaseDue();
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
            Volatile.Write(ref _runningThread, previousThread);
        }
    }

    /// <summary>Runs every item ready now (and those they make ready) without moving the clock.</summary>
    public void RunReady() => RunUntil(() => false, TimeSpan.Zero);

    internal void Enqueue(WorkItem item)
    {
        lock (_lock)
        {
            _ready.Enqueue(item);
            int running = Volatile.Read(ref _runningThread);
            if (running != -1 && running != Environment.CurrentManagedThreadId)
            {
                // Work that escaped to the thread pool breaks determinism: make it visible.
                _errors.Add(new InvalidOperationException("Work was posted from outside the simulation: " + Environment.StackTrace));
            }
        }
    }

    private void RunReady(Func<bool> done)
    {
        int sinceCheck = 0;
        while (true)
        {
            WorkItem item;
            lock (_lock)
            {
                if (!_ready.TryDequeue(out item!))
                {
                    return;
                }
            }

            Execute(item);
            if (++sinceCheck == ConditionCheckInterval)
            {
                sinceCheck = 0;
                if (done())
                {
                    return;
                }
            }
        }
    }

    private void Execute(WorkItem item)
    {
        Steps++;
        SetSynchronizationContext(item.Context);
        try
        {
            item.Callback(item.State);
        }
#pragma warning disable CA1031 // One failing work item must not stop the run; it is reported.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (item.OnError is null)
            {
                _errors.Add(e);
            }
            else
            {
                item.OnError(e);
            }
        }
        finally
        {
            SetSynchronizationContext(this);
        }
    }

    private DateTimeOffset? NextDue()
    {
        DateTimeOffset? next = _nextTimerDue();
        lock (_lock)
        {
            if (_timed.TryPeek(out _, out var head) && (next is null || head.Due < next.Value))
            {
                next = head.Due;
            }
        }

        return next;
    }

    private void ReleaseDue()
    {
        var now = Time.GetUtcNow();
        lock (_lock)
        {
            while (_timed.TryPeek(out var item, out var key) && key.Due <= now)
            {
                _timed.Dequeue();
                _ready.Enqueue(item);
            }
        }
    }

    internal sealed record WorkItem(SynchronizationContext Context, SendOrPostCallback Callback, object? State, Action<Exception>? OnError);
}
