namespace GodotTorrent.Bencoding;

/// <summary>
/// Takes the items of one list as the decoder completes them, instead of the list keeping them:
/// a torrent's v1 files list can then be turned into one small record per file while it is read,
/// and each entry's decoded dictionary is garbage at once rather than held to the end of the parse.
/// The list itself is still decoded and checked in full (limits, syntax, source range); it is
/// returned empty.
/// </summary>
/// <param name="path">The dictionary keys from the top-level value down to the list.</param>
/// <param name="add">Called with each item in order; it must not throw.</param>
/// <param name="reader">Tried first on each item: what it takes never reaches <paramref name="add"/>.</param>
internal sealed class BencodeListSink(byte[][] path, Action<BValue> add, BencodeItemReader? reader = null)
{
    public byte[][] Path { get; } = path;

    public BencodeItemReader? Reader { get; } = reader;

    public void Add(BValue item) => add(item);
}
