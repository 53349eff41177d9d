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
    private readonly List<RawFile> _files = [];
    private readonly ComponentNames _names = new();
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

    /// <summary>The files, in order.</summary>
    /// <exception cref="TorrentFormatException">An entry was malformed (the first such).</exception>
    public List<RawFile> Take()
    {
        _error?.Throw();
        return _files;
    }
}
