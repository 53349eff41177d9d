using GodotTorrent.Dht.Items;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// One <see cref="IDht.GetItem"/> or <see cref="IDht.PutItem"/> call: a BEP 44 get lookup on each
/// attached node (IPv4 and IPv6), then, for a put, puts to the closest nodes that gave tokens;
/// one result once all have ended. Its methods run under the engine's lock; the caller's callback
/// is deferred until the lock is released.
/// </summary>
internal sealed class DhtItemRequest : IDisposable
{
    private readonly DhtEngine _engine;
    private readonly List<(DhtLookup Lookup, DhtNode Node)> _lookups = [];
    private readonly Action<DhtItemResult>? _onGot;
    private readonly Action<DhtPutResult>? _onPut;
    private int _running;
    private bool _done;
    private int _replied;
    private int _queried;
    private int _stored;
    private bool _cancelled;
    private DhtItemError _error;

    public DhtItemRequest(DhtEngine engine, DhtItemSearch search, Action<DhtItemResult> onDone)
    {
        _engine = engine;
        Search = search;
        _onGot = onDone;
    }

    public DhtItemRequest(DhtEngine engine, DhtItemToPut put, Action<DhtPutResult> onDone)
    {
        _engine = engine;
        Put = put;
        _onPut = onDone;
    }

    public DhtItemSearch? Search { get; }

    public DhtItemToPut? Put { get; }

    public Id20 Target => Search?.Target ?? Put!.Target;

    public void Add(DhtLookup lookup, DhtNode node)
    {
        _lookups.Add((lookup, node));
        _running++;
    }

    /// <summary>Called after the lookups started: ends at once when none could (no socket, too many lookups).</summary>
    public void CompleteEmpty()
    {
        if (_running == 0 && !_done)
        {
            Complete();
        }
    }

    public void LookupDone(DhtLookup lookup)
    {
        _replied += lookup.Replied;
        _queried += lookup.Queried;
        _stored += lookup.AnnouncedTo;
        _cancelled |= lookup.Cancelled;
        if (_error == DhtItemError.None)
        {
            _error = lookup.StoreError;
        }

        if (--_running == 0 && !_done)
        {
            Complete();
        }
    }

    public void Dispose() => _engine.Cancel(CancelLocked);

    /// <summary>Ends the lookups still running (under the lock).</summary>
    public void CancelLocked()
    {
        foreach (var (lookup, node) in _lookups)
        {
            if (!lookup.Finished)
            {
                node.Cancel(lookup);
            }
        }
    }

    private void Complete()
    {
        _done = true;
        if (_onGot is { } onGot)
        {
            var result = new DhtItemResult(Search!.Value, Search.Mutable, _replied, _cancelled);
            _engine.Defer(() => onGot(result));
        }
        else if (_onPut is { } onPut)
        {
            var result = new DhtPutResult(Target, _stored, _queried, _error == DhtItemError.None ? null : _error, _cancelled);
            _engine.Defer(() => onPut(result));
        }
    }
}
