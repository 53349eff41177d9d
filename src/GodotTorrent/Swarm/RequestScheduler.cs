using GodotTorrent.Peers.Protocol;

namespace GodotTorrent.Swarm;

/// <summary>
/// Request scheduling for one torrent: which blocks go out to which source (with the picker),
/// what happens to them when they arrive, are rejected, time out or are dropped by a choke, and
/// the end-game cancels of duplicates. Pure logic on the engine loop: it sends through
/// <see cref="IRemotePeer"/> and pays through <see cref="IRequestBudget"/>, and owns no I/O.
/// </summary>
internal sealed class RequestScheduler
{
    // Rate floor for sizing request queues, so a new connection does not start at two requests.
    internal const double MinQueueRate = 256 * 1024;

    private readonly Func<PiecePicker?> _picker;
    private readonly IRequestBudget _budget;
    private readonly Func<int, IRemotePeer?> _findPeer;
    private readonly BlockRequest[] _picked = new BlockRequest[64];
    private readonly List<int> _cancelPeers = [];

    /// <param name="picker">The torrent's picker, null while there is none (metadata, checking).</param>
    /// <param name="budget">Pays for each request.</param>
    /// <param name="findPeer">Finds a source by id, for end-game cancels.</param>
    public RequestScheduler(Func<PiecePicker?> picker, IRequestBudget budget, Func<int, IRemotePeer?> findPeer)
    {
        _picker = picker;
        _budget = budget;
        _findPeer = findPeer;
    }

    /// <summary>Sends as many requests as the source's queue and the budget allow.</summary>
    public RequestStall Refill(IRemotePeer peer, DateTimeOffset now)
    {
        if (_picker() is not { } picker || peer.IsClosed || !peer.AmInterested || peer.PeerChoking)
        {
            return RequestStall.None;
        }

        int room = peer.Requests!.Room(Math.Max(peer.Download.Rate(3), MinQueueRate));
        while (room > 0)
        {
            int count = picker.PickBlocks(peer.Id, _picked.AsSpan(0, Math.Min(room, _picked.Length)));
            if (count == 0)
            {
                return RequestStall.None;
            }

            for (int i = 0; i < count; i++)
            {
                var block = _picked[i];
                var stall = _budget.TryReserve(block.Length);
                if (stall != RequestStall.None)
                {
                    // Hand the rest back; the caller tries again shortly. The blocks of this batch
                    // already sent are not counted in the queue (as before this type existed), which
                    // lets a rate-limited source run a little deeper than its target.
                    for (int j = i; j < count; j++)
                    {
                        picker.RequestCancelled(peer.Id, _picked[j]);
                    }

                    return stall;
                }

                peer.Outstanding[PiecePicker.Key(block.Piece, block.BlockIndex)] = (block, now);
                peer.SendRequest(block);
                peer.LastRequest = now;
            }

            peer.Requests.Sent(count);
            room -= count;
        }

        return RequestStall.None;
    }

    /// <summary>
    /// A block arrived. Returns the picker's verdict, or null when it was not asked for (any more):
    /// after a timeout or cancel, or from a misbehaving source. In end-game the other sources asked
    /// for the same block are told not to send it.
    /// </summary>
    public BlockOutcome? BlockArrived(IRemotePeer peer, BlockRequest block)
    {
        long key = PiecePicker.Key(block.Piece, block.BlockIndex);
        if (_picker() is not { } picker || !peer.Outstanding.Remove(key, out var sent) || sent.Block.Length != block.Length)
        {
            return null;
        }

        peer.Requests!.Received();
        _cancelPeers.Clear();
        var outcome = picker.BlockReceived(peer.Id, block, _cancelPeers);
        foreach (int otherId in _cancelPeers)
        {
            if (_findPeer(otherId) is { } other && other.Outstanding.Remove(key, out var duplicate))
            {
                other.SendCancel(duplicate.Block);
                other.Requests!.Released(1);
                _budget.Release(duplicate.Block.Length);
            }
        }

        return outcome;
    }

    /// <summary>The source refused one of our requests (BEP 6 reject): the block goes back to the picker.</summary>
    public void Rejected(IRemotePeer peer, BlockRequest block)
    {
        if (peer.Outstanding.Remove(PiecePicker.Key(block.Piece, block.BlockIndex), out var sent))
        {
            _picker()?.RequestCancelled(peer.Id, sent.Block);
            peer.Requests!.Released(1);
            _budget.Release(sent.Block.Length);
        }
    }

    /// <summary>
    /// Forgets every request out with the source. A choke has discarded them on the source's side
    /// already; otherwise (<paramref name="sendCancels"/>) the source is told to drop them.
    /// </summary>
    public void DropAll(IRemotePeer peer, bool sendCancels)
    {
        if (peer.Outstanding.Count == 0)
        {
            return;
        }

        var picker = _picker();
        foreach (var (block, _) in peer.Outstanding.Values)
        {
            picker?.RequestCancelled(peer.Id, block);
            _budget.Release(block.Length);
            if (sendCancels)
            {
                peer.SendCancel(block);
            }
        }

        peer.Requests!.Released(peer.Outstanding.Count);
        peer.Outstanding.Clear();
    }

    /// <summary>
    /// Cancels the requests out with the source that <paramref name="drop"/> selects: a source answers
    /// in order, so time-critical blocks asked after a full queue would wait behind all of it. Returns how many.
    /// </summary>
    public int Cancel(IRemotePeer peer, Func<BlockRequest, bool> drop)
    {
        int count = CancelWhere(peer, (block, _) => drop(block));
        if (count != 0)
        {
            peer.Requests!.Released(count);
        }

        return count;
    }

    /// <summary>Cancels the requests out longer than <paramref name="timeout"/>, so other sources can be asked. Returns how many.</summary>
    public int Expire(IRemotePeer peer, DateTimeOffset now, TimeSpan timeout)
    {
        int count = CancelWhere(peer, (_, sent) => now - sent > timeout);
        if (count != 0)
        {
            peer.Requests!.TimedOut(count);
        }

        return count;
    }

    /// <summary>Forgets the selected requests (the picker frees their blocks, the budget their room) and tells the source to drop them.</summary>
    private int CancelWhere(IRemotePeer peer, Func<BlockRequest, DateTimeOffset, bool> select)
    {
        List<long>? selected = null;
        foreach (var (key, (block, sent)) in peer.Outstanding)
        {
            if (select(block, sent))
            {
                (selected ??= []).Add(key);
            }
        }

        if (selected is null)
        {
            return 0;
        }

        var picker = _picker();
        foreach (long key in selected)
        {
            peer.Outstanding.Remove(key, out var entry);
            picker?.RequestCancelled(peer.Id, entry.Block);
            _budget.Release(entry.Block.Length);
            peer.SendCancel(entry.Block);
        }

        return selected.Count;
    }
}
