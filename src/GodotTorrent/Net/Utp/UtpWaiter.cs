using System.Threading.Tasks.Sources;

namespace GodotTorrent.Net.Utp;

/// <summary>
/// One pending operation of a uTP connection (a read, a write, a connect, an accept). The result
/// is decided under the manager's lock (<see cref="Decide"/>) but delivered after it is released
/// (<see cref="Deliver"/>), so an awaiting caller never runs inside the lock, however its
/// continuation is scheduled: inline in simulation, on the thread pool in production.
/// </summary>
internal sealed class UtpWaiter<T> : IValueTaskSource<T>, IValueTaskSource
{
    private const int Idle = 0;
    private const int Armed = 1;
    private const int Decided = 2;

    private ManualResetValueTaskSourceCore<T> _core;
    private CancellationTokenRegistration _registration;
    private int _state;
    private T? _result;
    private Exception? _error;

    public UtpWaiter(bool inline) => _core = new ManualResetValueTaskSourceCore<T> { RunContinuationsAsynchronously = !inline };

    /// <summary>True from <see cref="Arm"/> until the outcome is decided.</summary>
    public bool IsWaiting => Volatile.Read(ref _state) == Armed;

    /// <summary>Starts a new operation and returns what its caller awaits. Under the lock.</summary>
    public ValueTask<T> Arm()
    {
        Start();
        return new ValueTask<T>(this, _core.Version);
    }

    /// <summary>As <see cref="Arm"/>, for a caller that awaits only completion.</summary>
    public ValueTask ArmWithoutResult()
    {
        Start();
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Runs <paramref name="onCancel"/> (which must take the lock, decide and deliver) when the token fires.</summary>
    public void CancelWith(Action onCancel, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static state => ((Action)state!)(), onCancel);
        }
    }

    /// <summary>When the token fires, fails the operation under <paramref name="gate"/> and delivers the cancellation.</summary>
    public void FailOnCancel(object gate, CancellationToken cancellationToken) => CancelWith(() =>
    {
        lock (gate)
        {
            Fail(new OperationCanceledException(cancellationToken));
        }

        Deliver();
    }, cancellationToken);

    /// <summary>Decides the result, under the lock; false when nothing is waiting.</summary>
    public bool Decide(T result)
    {
        if (_state != Armed)
        {
            return false;
        }

        _result = result;
        Volatile.Write(ref _state, Decided);
        return true;
    }

    /// <summary>Decides a failure, under the lock; false when nothing is waiting.</summary>
    public bool Fail(Exception error)
    {
        if (_state != Armed)
        {
            return false;
        }

        _error = error;
        Volatile.Write(ref _state, Decided);
        return true;
    }

    /// <summary>Completes the caller's await with the decided outcome; call outside the lock (any thread, any number of times).</summary>
    public void Deliver()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Decided) != Decided)
        {
            return;
        }

        // Unregister without waiting: a cancel callback running now may be the one delivering.
        _registration.Unregister();
        _registration = default;
        var error = _error;
        var result = _result;
        _error = null;
        _result = default;
        if (error is not null)
        {
            _core.SetException(error);
        }
        else
        {
            _core.SetResult(result!);
        }
    }

    private void Start()
    {
        _core.Reset();
        _result = default;
        _error = null;
        Volatile.Write(ref _state, Armed);
    }

    public T GetResult(short token) => _core.GetResult(token);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
