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
    // Values of a file at the top besides its name: its node, the node's empty key, the leaf,
    // the length's key and the length; a non-empty file adds the root's key and the root.
    private const int FileValues = 5;
    private const int RootValues = 2;

    // Pieces roots read from the input are copied into shared blocks (under the large object
    // heap's threshold), not an array each.
    private const int RootsPerBlock = 2048;

    private readonly RawFileList _files = [];
    private readonly List<string> _path = [];
    private byte[] _roots = [];
    private int _rootsUsed;
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

    /// <summary>
    /// A <see cref="BencodeItemReader"/> for a file at the top of the tree in the shape almost
    /// every torrent writes, <c>d0:d6:lengthi…e11:pieces root32:…ee</c> (no root when empty):
    /// read from the input with no decoded values, as <see cref="Add"/> would take it. Every
    /// other entry goes to the decoder.
    /// </summary>
    public bool TryRead(BString? key, ReadOnlySpan<byte> input, int start, BencodeItemBudget budget, out int end, out int values)
    {
        end = start;
        values = 0;
        int pos = start;
        int maxString = budget.MaxStringLength;
        if (key is null || key.Bytes.IsEmpty || budget.Depth < 2 || options.MaxPathDepth < 1
            || !BencodeScanner.TryRead(input, ref pos, (byte)'d')
            || !BencodeScanner.TryReadKey(input, ref pos, maxString, ""u8)
            || !BencodeScanner.TryRead(input, ref pos, (byte)'d')
            || !BencodeScanner.TryReadKey(input, ref pos, maxString, "length"u8)
            || !BencodeScanner.TryReadNonNegativeInteger(input, ref pos, out long length))
        {
            return false;
        }

        int rootStart = 0;
        int count = FileValues;
        if (length > 0)
        {
            if (!BencodeScanner.TryReadKey(input, ref pos, maxString, "pieces root"u8)
                || !BencodeScanner.TryReadString(input, ref pos, maxString, out rootStart, out int rootLength)
                || rootLength != MerkleTree.HashSize)
            {
                return false;
            }

            count += RootValues;
        }

        if (count > budget.Values || !BencodeScanner.TryRead(input, ref pos, (byte)'e') || !BencodeScanner.TryRead(input, ref pos, (byte)'e'))
        {
            return false;
        }

        // Past the file cap the decoder's entry fails: it gives the error.
        if (_error is null && _files.Count >= options.MaxFiles)
        {
            return false;
        }

        end = pos;
        values = count;
        if (_error is null)
        {
            var root = length > 0 ? CopyRoot(input.Slice(rootStart, MerkleTree.HashSize)) : default;
            _files.Add(new RawFile([key.Text], length, 0, TorrentFileAttributes.None, null, root));
        }

        return true;
    }

    /// <summary>The files, in order (offsets not set).</summary>
    /// <exception cref="TorrentFormatException">An entry was malformed (the first such).</exception>
    public RawFileList Take()
    {
        _error?.Throw();
        return _files;
    }

    private ReadOnlyMemory<byte> CopyRoot(ReadOnlySpan<byte> root)
    {
        if (_rootsUsed == _roots.Length)
        {
            _roots = new byte[RootsPerBlock * MerkleTree.HashSize];
            _rootsUsed = 0;
        }

        var slot = _roots.AsMemory(_rootsUsed, MerkleTree.HashSize);
        root.CopyTo(_roots.AsSpan(_rootsUsed));
        _rootsUsed += MerkleTree.HashSize;
        return slot;
    }
}
