namespace GodotTorrent.Disk;

/// <summary>
/// One torrent's writer's place in the session's <see cref="DiskService"/> budget: the bytes it
/// has reserved for blocks requested, and of those the bytes held in buffers being written.
/// Closing it returns the reservations that will never be used (a dropped writer's requests);
/// held buffers stay counted until they are written and freed.
/// </summary>
/// <remarks>Safe from any thread: the fields are touched only under the service's lock.</remarks>
internal sealed class DiskAccount
{
    private readonly DiskService _service;
    private long _reserved;
    private long _held;
    private long _peak;

    internal DiskAccount(DiskService service) => _service = service;

    /// <summary>The service this account draws on.</summary>
    public DiskService Service => _service;

    /// <summary>Bytes reserved or held now.</summary>
    public long ReservedBytes => Interlocked.Read(ref _reserved);

    /// <summary>The most bytes this account ever had at once.</summary>
    public long PeakBytes => Interlocked.Read(ref _peak);

    /// <summary>Bytes this account could still reserve now (its share and the shared total both allow).</summary>
    public long AvailableBytes => _service.AvailableTo(this);

    /// <summary>True while the torrent still wants data: only such accounts split the budget.</summary>
    public bool Wanting
    {
        get => WantingLocked;
        set => _service.SetWanting(this, value);
    }

    internal bool Closed { get; private set; }

    // Written only under the service's lock.
    internal bool WantingLocked { get; set; } = true;

    // Refused bytes since its last reservation (under the service's lock).
    internal bool StarvedLocked { get; set; }

    // Counted among the service's downloading accounts (under the service's lock).
    internal bool CountedLocked { get; set; }

    internal long ReservedLocked => _reserved;

    /// <summary>Reserves <paramref name="bytes"/> for a block about to be received; false when it does not fit.</summary>
    public bool TryReserve(int bytes) => _service.TryReserve(this, bytes);

    /// <summary>Reserves <paramref name="bytes"/>, waiting (in order) until the account's share and the total have room.</summary>
    public ValueTask ReserveAsync(int bytes, CancellationToken cancellationToken) => _service.ReserveAsync(this, bytes, cancellationToken);

    /// <summary>Gives back a reservation that will not be used (the peer never sent the block).</summary>
    public void Release(int bytes) => _service.Unreserve(this, bytes, held: false);

    /// <summary>A reserved block arrived and its buffer is being written: it is held until <see cref="Free"/>.</summary>
    public void Hold(int bytes) => _service.Hold(this, bytes);

    /// <summary>A held buffer was written (and hashed) and returned to the pool.</summary>
    public void Free(int bytes) => _service.Unreserve(this, bytes, held: true);

    /// <summary>Leaves the budget: unused reservations go back at once.</summary>
    public void Close() => _service.Close(this);

    internal void AddLocked(long bytes)
    {
        StarvedLocked = false;
        _reserved += bytes;
        if (_reserved > _peak)
        {
            Interlocked.Exchange(ref _peak, _reserved);
        }
    }

    internal void HoldLocked(long bytes) => _held = Math.Min(_reserved, _held + bytes);

    // Returns what the service total loses: never more than this account has, so a stray release
    // (a block reserved under a writer since dropped) cannot eat into other torrents' bytes.
    internal long SubtractLocked(long bytes, bool held)
    {
        if (held)
        {
            bytes = Math.Min(bytes, _held);
            _held -= bytes;
        }
        else if (Closed)
        {
            return 0;
        }
        else
        {
            bytes = Math.Min(bytes, _reserved - _held);
        }

        _reserved -= bytes;
        return bytes;
    }

    internal long CloseLocked()
    {
        Closed = true;
        long unused = _reserved - _held;
        _reserved = _held;
        WantingLocked = false;
        StarvedLocked = false;
        return unused;
    }
}
