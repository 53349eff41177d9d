using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Metainfo;

/// <summary>
/// The v2 file tree (BEP 52) is read entry by entry while it is decoded: files, folders and
/// aligned offsets come out as from the whole tree, and a malformed tree fails with the error
/// of its first bad entry in document order.
/// </summary>
public class V2FileTreeTests
{
    private const int PieceLength = 16384;

    [Fact]
    public void Files_at_the_top_and_in_folders_keep_their_order_paths_and_piece_aligned_offsets()
    {
        var tree = Node(("a", Node(("", Leaf(10)))), ("d", Node(("x", Node(("", Leaf(20000)))), ("y", Node(("", Leaf(0)))))), ("e", Node(("", Leaf(5)))));

        var files = TorrentInfo.FromInfoDictionary(Info(tree)).Files;

        Assert.Equal(["v2/a", "v2/d/x", "v2/d/y", "v2/e"], files.Select(f => f.Path));
        Assert.Equal([0L, PieceLength, 3L * PieceLength, 3L * PieceLength], files.Select(f => f.Offset));
        Assert.Equal(32, files[1].PiecesRoot.Length);
        Assert.True(files[2].PiecesRoot.IsEmpty);
    }

    [Fact]
    public void A_leaf_at_the_top_of_the_tree_is_refused()
    {
        var e = Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.FromInfoDictionary(Info(Node(("", Leaf(1))))));
        Assert.Equal(ErrorCode.InvalidField, e.ErrorCode);
    }

    [Fact]
    public void A_leaf_with_a_sibling_is_refused_before_the_sibling_is_walked()
    {
        // The sibling's folder is too deep as well: the leaf comes first, so its error is the one raised.
        var tooDeep = Node(("c", Node(("", Leaf(1)))));
        var tree = Node(("a", Node(("", Leaf(1)), ("b", tooDeep))));

        var e = Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.FromInfoDictionary(Info(tree), new TorrentParseOptions { MaxPathDepth = 1 }));
        Assert.Equal(ErrorCode.InvalidField, e.ErrorCode);
    }

    [Theory]
    [InlineData(true, ErrorCode.InvalidField)]
    [InlineData(false, ErrorCode.InvalidPath)]
    public void Of_two_bad_top_level_entries_the_first_in_the_document_gives_the_error(bool notADictionaryFirst, ErrorCode expected)
    {
        BValue notADictionary = new BInteger(5);
        BValue tooDeep = Node(("c", Node(("", Leaf(1)))));
        var tree = Node(("a", notADictionaryFirst ? notADictionary : tooDeep), ("b", notADictionaryFirst ? tooDeep : notADictionary));

        var e = Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.FromInfoDictionary(Info(tree), new TorrentParseOptions { MaxPathDepth = 1 }));
        Assert.Equal(expected, e.ErrorCode);
    }

    [Fact]
    public void More_files_than_the_cap_are_refused()
    {
        var tree = Node(("a", Node(("", Leaf(1)))), ("b", Node(("", Leaf(1)))), ("c", Node(("", Leaf(1)))));

        var e = Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.FromInfoDictionary(Info(tree), new TorrentParseOptions { MaxFiles = 2 }));
        Assert.Equal(ErrorCode.TooManyFiles, e.ErrorCode);
    }

    [Fact]
    public void A_malformed_file_tree_in_a_v1_torrent_is_ignored_as_before()
    {
        var info = TorrentFiles.SingleFileInfo("one", TorrentFiles.Content(100, 1), PieceLength);
        info.Set("file tree", Node(("", new BInteger(1))));

        var torrent = TorrentInfo.Parse(TorrentFiles.Torrent(info));

        Assert.Equal(TorrentVersion.V1, torrent.Version);
        Assert.Equal(100, torrent.TotalSize);
    }

    private static BDictionary Leaf(long length)
    {
        var leaf = new BDictionary();
        leaf.Set("length", new BInteger(length));
        if (length > 0)
        {
            leaf.Set("pieces root", new BString(Enumerable.Repeat((byte)7, 32).ToArray()));
        }

        return leaf;
    }

    private static BDictionary Node(params (string Key, BValue Value)[] entries)
    {
        var node = new BDictionary();
        foreach (var (key, value) in entries)
        {
            node.Set(key, value);
        }

        return node;
    }

    private static byte[] Info(BDictionary tree)
    {
        var info = new BDictionary();
        info.Set("file tree", tree);
        info.Set("meta version", new BInteger(2));
        info.Set("name", new BString("v2"));
        info.Set("piece length", new BInteger(PieceLength));
        return BencodeWriter.Encode(info);
    }
}
