namespace GodotTorrent.Bencoding;

/// <summary>A bencoded list.</summary>
internal sealed class BList : BValue, IReadOnlyList<BValue>, IEquatable<BList>
{
    private readonly List<BValue> _items;

    public BList() => _items = [];

    public BList(IEnumerable<BValue> items) => _items = [.. items];

    public int Count => _items.Count;

    public BValue this[int index] => _items[index];

    public void Add(BValue value) => _items.Add(value);

    public IEnumerator<BValue> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(BList? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        for (int i = 0; i < Count; i++)
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
