namespace GodotTorrent.Metainfo;

/// <summary>
/// An inclusive range of file indices, as a magnet link's <c>so</c> parameter selects them (BEP 53).
/// </summary>
/// <param name="First">The first selected file index (zero-based).</param>
/// <param name="Last">The last selected file index, inclusive; at least <paramref name="First"/>.</param>
public readonly record struct FileSelectionRange(int First, int Last)
{
    /// <summary>True when <paramref name="fileIndex"/> lies within the range, both ends included.</summary>
    public bool Contains(int fileIndex) => fileIndex >= First && fileIndex <= Last;
}
