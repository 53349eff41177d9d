namespace GodotTorrent.Bencoding;

/// <summary>A bencoded list.</summary>
internal sealed class BList : BValue, IReadOnlyList<BValue>, IEquatable<BList>
{
    // An array of its own, not a List: one object fewer per list, and a torrent of many files
    // decodes a path list per file.
    private BValue[] _items;
    private int _count;

    public BList() => _items = [];

    public BList(IEnumerable<BValue> items)
    {
        _items = [.. items];
        _count = _items.Length;
    }

    public int Count => _count;

    public BValue this[int index] => (uint)index < (uint)_count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public void Add(BValue value)
    {
        if (_count == _items.Length)
        {
            // A path list usually holds one or two components.
            Array.Resize(ref _items, _count == 0 ? 2 : _count * 2);
        }

        _items[_count++] = value;
    }

    public IEnumerator<BValue> GetEnumerator() => ((IEnumerable<BValue>)new ArraySegment<BValue>(_items, 0, _count)).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(BList? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        for (int i = 0; i < _count; i++)
        {
            if (!_items[i].Equals(other._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as BList);

    public override int GetHashCode() => Count;
}
