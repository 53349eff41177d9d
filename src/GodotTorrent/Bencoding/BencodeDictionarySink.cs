namespace GodotTorrent.Bencoding;

/// <summary>
/// Takes the values of one dictionary as the decoder completes them, as
/// <see cref="BencodeListSink"/> does for a list: a v2 file tree of many files is turned into
/// records while it is read. The dictionary keeps its keys (duplicates and count are checked
/// as for any dictionary), each with <see cref="Taken"/> in place of its value.
/// </summary>
/// <param name="path">The dictionary keys from the top-level value down to the dictionary.</param>
/// <param name="add">Called with each key and value in order; it must not throw.</param>
/// <param name="reader">Tried first on each value: what it takes never reaches <paramref name="add"/>.</param>
internal sealed class BencodeDictionarySink(byte[][] path, Action<BString, BValue> add, BencodeItemReader? reader = null)
{
    /// <summary>What the dictionary holds in place of a value given to the sink.</summary>
    public static BValue Taken { get; } = new BRaw(ReadOnlyMemory<byte>.Empty);

    public byte[][] Path { get; } = path;

    public BencodeItemReader? Reader { get; } = reader;

    public void Add(BString key, BValue value) => add(key, value);
}
