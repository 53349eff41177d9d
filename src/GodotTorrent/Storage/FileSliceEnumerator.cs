namespace GodotTorrent.Storage;

/// <summary>Enumerates the <see cref="FileSlice"/>s of a piece range without allocating; from <see cref="PieceLayout.GetSlices"/>.</summary>
public struct FileSliceEnumerator
{
    private readonly PieceLayout? _layout;
    private readonly long _start;
    private readonly long _end;
    private int _next;

    internal FileSliceEnumerator(PieceLayout layout, long start, long end, int first)
    {
        _layout = layout;
        _start = start;
        _end = end;
        _next = first;
        Current = default;
    }

    /// <summary>The current slice.</summary>
    public FileSlice Current { get; private set; }

    /// <summary>Returns this enumerator, so it works in <c>foreach</c>.</summary>
    public readonly FileSliceEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next slice.</summary>
    public bool MoveNext()
    {
        if (_layout is null || !_layout.TryGetSlice(_next, _start, _end, out var slice))
        {
            return false;
        }

        Current = slice;
        _next++;
        return true;
    }
}
