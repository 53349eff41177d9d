using GodotTorrent.Dht;
using GodotTorrent.Dht.Items;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Discovery;

/// <summary>
/// BEP 44 items in memory for <see cref="FakeDht"/>: one table shared by the fakes of several
/// sessions is the whole DHT to them, so a publisher's put is what a follower's get sees.
/// Answers inline, as a node on the simulation's scheduler could.
/// </summary>
internal sealed class FakeDhtItemTable
{
    private readonly Dictionary<Id20, byte[]> _immutable = [];
    private readonly Dictionary<Id20, DhtMutableItem> _mutable = [];

    /// <summary>Every put, with the time it was made (for re-put schedules).</summary>
    public List<(DhtItemToPut Item, DateTimeOffset At)> Puts { get; } = [];

    /// <summary>Gets made.</summary>
    public int Gets { get; private set; }

    /// <summary>When set, gets never end (a DHT where nobody answers), to test the caller's bound.</summary>
    public bool Silent { get; set; }

    /// <summary>How many nodes "store" each put.</summary>
    public int StoredPerPut { get; set; } = 8;

    /// <summary>Puts <paramref name="item"/> in place of what is stored, whatever its sequence number: a node that lies or lags.</summary>
    public void Force(DhtMutableItem item) => _mutable[item.Target] = item;

    public IDisposable Get(Id20 target, ReadOnlyMemory<byte> publicKey, Action<DhtItemResult> onDone)
    {
        Gets++;
        if (Silent)
        {
            return new Nothing();
        }

        if (publicKey.IsEmpty)
        {
            onDone(new DhtItemResult(_immutable.GetValueOrDefault(target), null, 8, Cancelled: false));
        }
        else
        {
            var item = _mutable.GetValueOrDefault(target);
            onDone(new DhtItemResult(item?.Value.ToArray(), item, 8, Cancelled: false));
        }

        return new Nothing();
    }

    public IDisposable Put(DhtItemToPut item, DateTimeOffset now, Action<DhtPutResult> onDone)
    {
        Puts.Add((item, now));
        var error = DhtItemError.None;
        if (item.Mutable is { } mutable)
        {
            // BEP 44: a lower sequence number than the stored one is refused.
            if (!mutable.Verify())
            {
                error = DhtItemError.InvalidSignature;
            }
            else if (_mutable.TryGetValue(item.Target, out var stored) && stored.Sequence > mutable.Sequence)
            {
                error = DhtItemError.SequenceLessThanCurrent;
            }
            else
            {
                _mutable[item.Target] = mutable;
            }
        }
        else
        {
            _immutable[item.Target] = item.ImmutableValue!;
        }

        bool ok = error == DhtItemError.None;
        onDone(new DhtPutResult(item.Target, ok ? StoredPerPut : 0, 8, ok ? null : error, Cancelled: false));
        return new Nothing();
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
