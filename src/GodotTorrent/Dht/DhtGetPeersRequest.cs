using System.Net;
using GodotTorrent.Alerts;

namespace GodotTorrent.Dht;

/// <summary>
/// One <see cref="IDht.GetPeers"/> call: a get_peers lookup on each attached node (IPv4 and
/// IPv6), summed into one result once all have ended. Its methods run under the engine's lock;
/// the caller's callbacks are deferred until the lock is released.
/// </summary>
internal sealed class DhtGetPeersRequest(DhtEngine engine, Action<IReadOnlyList<IPEndPoint>> onPeers, Action<DhtLookupResult> onDone) : IDisposable
{
    private readonly List<(DhtLookup Lookup, DhtNode Node)> _lookups = [];
    private int _running;
    private bool _done;
    private DhtLookupResult _result = new(0, 0, 0, 0, false);

    public Action<IReadOnlyList<IPEndPoint>> OnPeers => onPeers;

    public void Add(DhtLookup lookup, DhtNode node)
    {
        _lookups.Add((lookup, node));
        _running++;
    }

    /// <summary>Called when no lookup could start (no socket attached, or too many lookups).</summary>
    public void CompleteEmpty()
    {
        if (_running == 0 && !_done)
        {
            _done = true;
            engine.Defer(() => onDone(_result));
        }
    }

    public void LookupDone(DhtLookup lookup)
    {
        _result = new DhtLookupResult(
            _result.PeersFound + lookup.PeersFound,
            _result.NodesQueried + lookup.Queried,
            _result.NodesReplied + lookup.Replied,
            _result.AnnouncedTo + lookup.AnnouncedTo,
            _result.Cancelled || lookup.Cancelled);
        if (--_running > 0 || _done)
        {
            return;
        }

        _done = true;
        var result = _result;
        if (result.PeersFound > 0)
        {
            engine.Post(new DhtReplyAlert(result.PeersFound));
        }

        engine.Defer(() => onDone(result));
    }

    public void Dispose() => engine.Cancel(this);

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
}
