namespace GodotTorrent.Metainfo;

/// <summary>
/// Compares names held as character memory as <see cref="StringComparer.OrdinalIgnoreCase"/>
/// compares strings: a file's name can be a slice of its path, with no string of its own, and be
/// looked up from a scratch buffer.
/// </summary>
internal sealed class NameComparer : IEqualityComparer<ReadOnlyMemory<char>>
{
    public static NameComparer Instance { get; } = new();

    public bool Equals(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.Equals(y.Span, StringComparison.OrdinalIgnoreCase);

    public int GetHashCode(ReadOnlyMemory<char> obj) => string.GetHashCode(obj.Span, StringComparison.OrdinalIgnoreCase);
}
