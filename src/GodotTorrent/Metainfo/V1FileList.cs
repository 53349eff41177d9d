using System.Runtime.ExceptionServices;
using GodotTorrent.Bencoding;

namespace GodotTorrent.Metainfo;

/// <summary>
/// Turns the entries of a v1 files list (BEP 3) into <see cref="RawFile"/>s as the decoder reads
/// them, so a torrent of many files never holds every entry's decoded dictionary at once (that
/// long-lived tree was most of the parse time). An entry's error is kept, not thrown, and raised
/// by <see cref="Take"/>, where the parser walked the list before: a malformed torrent still fails
/// with the error it failed with when the list was walked after decoding.
/// </summary>
internal sealed class V1FileList(TorrentParseOptions options)
{
    // Values in the common entry besides its path's components: the dictionary, two keys, the
    // length and the path list.
    private const int EntryValues = 5;

    private readonly RawFileList _files = [];
    private readonly ComponentNames _names = new();
    private readonly List<(int Start, int Length)> _components = [];
    private string[]? _previous;
    private long _offset;
    private ExceptionDispatchInfo? _error;

    /// <summary>How many entries the list had.</summary>
    public int Count { get; private set; }

    public void Add(BValue item)
    {
        // Past the file cap the parser refuses the torrent: the entries need no records.
        if (++Count > options.MaxFiles || _error is not null)
        {
            return;
        }

        try
        {
            _files.Add(MetainfoParser.ParseV1Entry(item, options, _names, ref _offset));
        }
        catch (TorrentFormatException e)
        {
            _error = ExceptionDispatchInfo.Capture(e);
        }
    }

    /// <summary>
    /// A <see cref="BencodeItemReader"/> for the entry almost every torrent has,
    /// <c>d6:lengthi…e4:pathl…ee</c> with a length of at least 0 and one to
    /// <see cref="TorrentParseOptions.MaxPathDepth"/> components: read from the input with no
    /// decoded values, as <see cref="Add"/> would take it. Every other entry goes to the decoder.
    /// </summary>
    public bool TryRead(BString? key, ReadOnlySpan<byte> input, int start, BencodeItemBudget budget, out int end, out int values)
    {
        end = start;
        values = 0;
        int pos = start;
        int maxString = budget.MaxStringLength;
        if (budget.Depth < 2
            || !BencodeScanner.TryRead(input, ref pos, (byte)'d')
            || !BencodeScanner.TryReadKey(input, ref pos, maxString, "length"u8)
            || !BencodeScanner.TryReadNonNegativeInteger(input, ref pos, out long length)
            || !BencodeScanner.TryReadKey(input, ref pos, maxString, "path"u8)
            || !BencodeScanner.TryRead(input, ref pos, (byte)'l'))
        {
            return false;
        }

        _components.Clear();
        while (!BencodeScanner.TryRead(input, ref pos, (byte)'e'))
        {
            if (_components.Count == options.MaxPathDepth || !BencodeScanner.TryReadString(input, ref pos, maxString, out int s, out int l))
            {
                return false;
            }

            _components.Add((s, l));
        }

        if (_components.Count == 0 || EntryValues + _components.Count > budget.Values || !BencodeScanner.TryRead(input, ref pos, (byte)'e'))
        {
            return false;
        }

        end = pos;
        values = EntryValues + _components.Count;
        if (++Count > options.MaxFiles || _error is not null)
        {
            return true;
        }

        var components = Components(input);

        try
        {
            long next = MetainfoParser.AddLength(_offset, length);
            _files.Add(new RawFile(components, length, _offset, TorrentFileAttributes.None, null, default));
            _offset = next;
        }
        catch (TorrentFormatException e)
        {
            _error = ExceptionDispatchInfo.Capture(e);
        }

        return true;
    }

    // The previous entry's array when the names are the same strings (a hostile torrent repeating
    // one path): records need not differ in what they never change.
    private string[] Components(ReadOnlySpan<byte> input)
    {
        bool same = _previous is not null && _previous.Length == _components.Count;
        string[]? components = null;
        for (int i = 0; i < _components.Count; i++)
        {
            var name = _names.Get(input.Slice(_components[i].Start, _components[i].Length));
            if (same && ReferenceEquals(name, _previous![i]))
            {
                continue;
            }

            if (components is null)
            {
                components = new string[_components.Count];
                _previous.AsSpan(0, same ? i : 0).CopyTo(components);
                same = false;
            }

            components[i] = name;
        }

        return _previous = components ?? _previous!;
    }

    /// <summary>The files, in order.</summary>
    /// <exception cref="TorrentFormatException">An entry was malformed (the first such).</exception>
    public RawFileList Take()
    {
        _error?.Throw();
        return _files;
    }
}
