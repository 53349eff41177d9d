using GodotTorrent.Storage;

namespace GodotTorrent.Disk;

/// <summary>
/// The session's one disk service: a single memory budget for received blocks shared by every
/// torrent, and the one place disk work goes to the thread pool. Each torrent's
/// <see cref="PieceWriter"/> draws on the budget through a <see cref="DiskAccount"/>.
/// </summary>
/// <remarks>
/// <para>Fairness: the budget is split into equal shares among the accounts that are downloading:
/// still wanting data (<see cref="DiskAccount.Wanting"/>) and either holding bytes or refused
/// bytes since their last reservation. An account never holds more than its share, so a torrent
/// stuck on a slow disk fills only its own share and the others keep downloading; a paused or
/// seeding torrent takes no share, and a torrent downloading alone gets the whole budget. When a
/// torrent starts asking, one already over its new share gets no more bytes until its writes drain
/// below it (a disk that never completes a write keeps what it holds: nothing can take that back).</para>
/// <para>Threading: safe from any thread (one lock; nothing runs under it but bookkeeping).</para>
/// </remarks>
internal sealed class DiskService
{
    // Standard request size (BEP 3 practice): no account's share is smaller than one block.
    internal const int BlockSize = Wire.PeerWireLimits.DefaultBlockLength;

    private readonly Func<long> _budget;
    private readonly Engine.IBackgroundRunner _runner;
    private readonly object _lock = new();
    private readonly List<DiskAccount> _accounts = [];
    private readonly List<(DiskAccount Account, int Bytes, TaskCompletionSource Waiter)> _waiters = [];
    private long _buffered;
    private long _peak;
    private long _pendingWork;
    private int _downloading;

    /// <param name="budget">The budget in bytes, read at every reservation so a settings change takes effect at once.</param>
    /// <param name="runner">Where disk work runs: the thread pool unless the session's services say otherwise (a simulation).</param>
    public DiskService(Func<long> budget, Engine.IBackgroundRunner? runner = null)
    {
        ArgumentNullException.ThrowIfNull(budget);
        _budget = budget;
        _runner = runner ?? Engine.ThreadPoolRunner.Instance;
    }

    /// <summary>The budget now (the disk buffer setting).</summary>
    public long MaxBufferedBytes => Math.Max(BlockSize, _budget());

    /// <summary>Bytes reserved or held in block buffers by every torrent together.</summary>
    public long BufferedBytes => Interlocked.Read(ref _buffered);

    /// <summary>The most bytes ever reserved at once across all torrents (the invariant tests check).</summary>
    public long PeakBufferedBytes => Interlocked.Read(ref _peak);

    /// <summary>Disk work items dispatched and not finished yet (writes, hashing, reads).</summary>
    public long PendingWork => Interlocked.Read(ref _pendingWork);

    /// <summary>Accounts open now.</summary>
    public int AccountCount
    {
        get
        {
            lock (_lock)
            {
                return _accounts.Count;
            }
        }
    }

    /// <summary>Opens a torrent's account on the budget; dispose it (<see cref="DiskAccount.Close"/>) when its writer is dropped.</summary>
    public DiskAccount OpenAccount()
    {
        var account = new DiskAccount(this);
        lock (_lock)
        {
            _accounts.Add(account);
            GrantWaitersLocked();
        }

        return account;
    }

    /// <summary>
    /// Runs disk work (a write, a hash, a read-back, a check worker) on the background runner. Every
    /// dispatch of disk work goes through here, so it can be swapped for a simulated runner.
    /// </summary>
    public Task Run(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Interlocked.Increment(ref _pendingWork);
        return _runner.Run(async () =>
        {
            try
            {
                // Keeps a simulation's scheduler; on the pool there is no context to keep.
                await work().ConfigureAwait(true);
            }
            finally
            {
                Interlocked.Decrement(ref _pendingWork);
            }
        });
    }

    /// <summary>The share of the budget one wanting account may hold now.</summary>
    public long ShareOf(DiskAccount account)
    {
        lock (_lock)
        {
            return ShareLocked(account);
        }
    }

    /// <summary>Bytes <paramref name="account"/> could still reserve now.</summary>
    internal long AvailableTo(DiskAccount account)
    {
        lock (_lock)
        {
            long budget = MaxBufferedBytes;
            return Math.Max(0, Math.Min(ShareLocked(account) - account.ReservedLocked, budget - _buffered));
        }
    }

    internal bool TryReserve(DiskAccount account, int bytes)
    {
        lock (_lock)
        {
            // Waiters go first: this account's own, and others' that only wait for the shared total.
            if (account.Closed || _waiters.Exists(w => w.Account == account || FitsShareLocked(w.Account, w.Bytes)) || !FitsLocked(account, bytes))
            {
                // Refused: it now counts as downloading, so the others' shares shrink to make room for it.
                account.StarvedLocked = !account.Closed;
                RecountLocked(account);
                return false;
            }

            AddLocked(account, bytes);
            return true;
        }
    }

    internal ValueTask ReserveAsync(DiskAccount account, int bytes, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(account.Closed, account);
            if (!_waiters.Exists(w => w.Account == account) && FitsLocked(account, bytes))
            {
                AddLocked(account, bytes);
                return ValueTask.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((account, bytes, waiter));
            account.StarvedLocked = true;
            RecountLocked(account);
        }

        return new ValueTask(WaitReservedAsync(account, bytes, waiter, cancellationToken));
    }

    /// <summary>Gives back bytes of <paramref name="account"/>: a reservation not used, or a buffer written.</summary>
    internal void Unreserve(DiskAccount account, int bytes, bool held)
    {
        lock (_lock)
        {
            long freed = account.SubtractLocked(bytes, held);
            _buffered -= freed;
            RecountLocked(account);
            GrantWaitersLocked();
        }
    }

    internal void Hold(DiskAccount account, int bytes)
    {
        lock (_lock)
        {
            account.HoldLocked(bytes);
        }
    }

    internal void SetWanting(DiskAccount account, bool wanting)
    {
        lock (_lock)
        {
            if (account.WantingLocked != wanting)
            {
                account.WantingLocked = wanting;
                RecountLocked(account);
                GrantWaitersLocked();
            }
        }
    }

    internal void Close(DiskAccount account)
    {
        lock (_lock)
        {
            if (account.Closed)
            {
                return;
            }

            // Reservations for blocks that will never come back to this account are returned now;
            // buffers still being written stay counted until they are freed.
            _buffered -= account.CloseLocked();
            RecountLocked(account);
            _accounts.Remove(account);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Account == account)
                {
                    _waiters[i].Waiter.TrySetException(new ObjectDisposedException(nameof(DiskAccount)));
                    _waiters.RemoveAt(i);
                }
            }

            GrantWaitersLocked();
        }
    }

    private long ShareLocked(DiskAccount account)
    {
        // The account asking counts itself whether or not it is downloading yet.
        int downloading = _downloading + (account.CountedLocked ? 0 : 1);
        return Math.Max(BlockSize, MaxBufferedBytes / downloading);
    }

    private bool FitsShareLocked(DiskAccount account, int bytes) => account.ReservedLocked + bytes <= ShareLocked(account);

    private bool FitsLocked(DiskAccount account, int bytes) =>
        _buffered + bytes <= MaxBufferedBytes && FitsShareLocked(account, bytes);

    private void AddLocked(DiskAccount account, int bytes)
    {
        account.AddLocked(bytes);
        RecountLocked(account);
        _buffered += bytes;
        if (_buffered > _peak)
        {
            Interlocked.Exchange(ref _peak, _buffered);
        }
    }

    // Keeps the count of downloading accounts current, so a share costs no walk over every torrent.
    private void RecountLocked(DiskAccount account)
    {
        bool downloading = !account.Closed && account.WantingLocked && (account.ReservedLocked > 0 || account.StarvedLocked);
        if (downloading != account.CountedLocked)
        {
            account.CountedLocked = downloading;
            _downloading += downloading ? 1 : -1;
        }
    }

    private void GrantWaitersLocked()
    {
        if (_waiters.Count == 0)
        {
            return;
        }

        // In order, but an account that is at its share does not hold up the others behind it.
        var blocked = new HashSet<DiskAccount>();
        for (int i = 0; i < _waiters.Count;)
        {
            var (account, bytes, waiter) = _waiters[i];
            if (blocked.Contains(account) || !FitsLocked(account, bytes))
            {
                blocked.Add(account);
                i++;
                continue;
            }

            _waiters.RemoveAt(i);
            AddLocked(account, bytes);
            waiter.TrySetResult();
        }
    }

    private async Task WaitReservedAsync(DiskAccount account, int bytes, TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        try
        {
            await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            bool granted;
            lock (_lock)
            {
                // Either still queued (take it out) or granted in the race (give the bytes back).
                granted = waiter.Task.IsCompletedSuccessfully;
                _waiters.RemoveAll(w => w.Waiter == waiter);
                GrantWaitersLocked();
            }

            if (granted)
            {
                Unreserve(account, bytes, held: false);
            }

            throw;
        }
    }
}
