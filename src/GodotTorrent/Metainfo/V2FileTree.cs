using System.Runtime.ExceptionServices;
using GodotTorrent.Bencoding;

namespace GodotTorrent.Metainfo;

/// <summary>
/// Turns the top-level entries of a v2 file tree (BEP 52) into <see cref="RawFile"/>s as the
/// decoder reads them, as <see cref="V1FileList"/> does for the v1 list: a tree of many files
/// at its top never holds every file's decoded nodes at once. Top-level entries are independent
/// (none can be a leaf), so each is walked alone, in order; an entry's error is kept and raised
/// by <see cref="Take"/>, where the parser walked the whole tree before.
/// </summary>
internal sealed class V2FileTree(TorrentParseOptions options)
{
    private readonly List<RawFile> _files = [];
    private readonly List<string> _path = [];
    private ExceptionDispatchInfo? _error;

    public void Add(BString key, BValue value)
    {
        if (_error is not null)
        {
            return;
        }

        try
        {
            MetainfoParser.ParseTreeEntry(key, value, null, _path, _files, options);
        }
        catch (TorrentFormatException e)
        {
            _error = ExceptionDispatchInfo.Capture(e);
        }
    }

    /// <summary>The files, in order (offsets not set).</summary>
    /// <exception cref="TorrentFormatException">An entry was malformed (the first such).</exception>
    public List<RawFile> Take()
    {
        _error?.Throw();
        return _files;
    }
}
