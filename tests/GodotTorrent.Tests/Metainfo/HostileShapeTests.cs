using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Metainfo;

/// <summary>Torrents shaped to make the parser slow or its arithmetic wrap are parsed in linear time or refused with a typed error.</summary>
public class HostileShapeTests
{
    [Fact]
    public void Two_hundred_thousand_files_with_one_name_all_get_unique_names()
    {
        const int count = 200_000;
        var info = TorrentFiles.MultiFileInfo("same", Enumerable.Repeat((new[] { "a.txt" }, 1), count).ToList(), 1 << 20);
        var torrent = TorrentInfo.Parse(TorrentFiles.Torrent(info));

        var paths = torrent.Files.Select(f => f.Path).ToList();
        Assert.Equal(count, paths.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(["same/a.txt", "same/a.1.txt", "same/a.2.txt"], paths.Take(3));
        Assert.Equal($"same/a.{count - 1}.txt", paths[^1]);
    }

    [Fact]
    public void A_numbered_name_already_taken_is_skipped_not_reused()
    {
        var info = TorrentFiles.MultiFileInfo("p", [(["a.txt"], 1), (["a.1.txt"], 1), (["A.TXT"], 1), (["a.txt"], 1)], 16384);
        var paths = TorrentInfo.Parse(TorrentFiles.Torrent(info)).Files.Select(f => f.Path);
        Assert.Equal(["p/a.txt", "p/a.1.txt", "p/A.2.TXT", "p/a.3.txt"], paths);
    }

    [Fact]
    public void A_name_of_a_million_characters_is_truncated_to_the_longest_prefix_that_fits()
    {
        var info = TorrentFiles.MultiFileInfo("long", [(["b" + new string('é', 1_000_000) + ".dat"], 1), ([string.Concat(Enumerable.Repeat("😀", 300_000)) + ".txt"], 1)], 16384);
        var paths = TorrentInfo.Parse(TorrentFiles.Torrent(info)).Files.Select(f => f.Path).ToList();

        // 240 bytes: ".dat" takes 4, "b" 1, and each 'é' 2, so 117 of them fit; each emoji takes 4 and is never split.
        Assert.Equal("long/b" + new string('é', 117) + ".dat", paths[0]);
        Assert.Equal("long/" + string.Concat(Enumerable.Repeat("😀", 59)) + ".txt", paths[1]);
    }

    [Fact]
    public void A_file_and_a_folder_with_the_same_name_after_sanitising_are_told_apart_at_parse_time()
    {
        var info = TorrentFiles.MultiFileInfo("p", [(["x"], 1), (["x", "y"], 1), (["X", "z"], 1), (["."], 1), (["...", "w"], 1), (["d", "e"], 1), (["d"], 1)], 16384);
        var paths = TorrentInfo.Parse(TorrentFiles.Torrent(info)).Files.Select(f => f.Path);
        Assert.Equal(["p/x", "p/x.1/y", "p/x.1/z", "p/_", "p/_.1/w", "p/d/e", "p/d.1"], paths);
    }

    [Fact]
    public void A_huge_file_with_no_piece_hashes_is_a_format_error_not_zero_pieces()
    {
        var info = new BDictionary();
        info.Set("name", new BString("huge"));
        info.Set("length", new BInteger(long.MaxValue));
        info.Set("piece length", new BInteger(2));
        info.Set("pieces", new BString(ReadOnlyMemory<byte>.Empty));

        var e = Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.Parse(TorrentFiles.Torrent(info)));
        Assert.Equal(ErrorCode.InvalidPieces, e.ErrorCode);
    }

    [Fact]
    public void Piece_hashes_for_one_piece_too_many_are_a_format_error()
    {
        var info = TorrentFiles.SingleFileInfo("one", TorrentFiles.Content(16384, 1), 16384);
        info.Set("pieces", new BString(new byte[40]));
        var e = Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.Parse(TorrentFiles.Torrent(info)));
        Assert.Equal(ErrorCode.InvalidPieces, e.ErrorCode);
    }

    [Fact]
    public void File_lengths_adding_up_past_2_to_the_63_are_a_typed_format_error()
    {
        var files = new BList();
        foreach (var name in new[] { "a", "b" })
        {
            var entry = new BDictionary();
            entry.Set("length", new BInteger((1L << 62) + 1));
            entry.Set("path", new BList([new BString(name)]));
            files.Add(entry);
        }

        var info = new BDictionary();
        info.Set("name", new BString("sum"));
        info.Set("files", files);
        info.Set("piece length", new BInteger(16384));
        info.Set("pieces", new BString(new byte[20]));

        var e = Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.Parse(TorrentFiles.Torrent(info)));
        Assert.Equal(ErrorCode.InvalidField, e.ErrorCode);
    }

    [Fact]
    public void V2_file_lengths_adding_up_past_2_to_the_63_are_a_typed_format_error()
    {
        var tree = new BDictionary();
        foreach (var name in new[] { "a", "b" })
        {
            var leaf = new BDictionary();
            leaf.Set("length", new BInteger(long.MaxValue - 10));
            leaf.Set("pieces root", new BString(new byte[32]));
            var node = new BDictionary();
            node.Set(string.Empty, leaf);
            tree.Set(name, node);
        }

        var info = new BDictionary();
        info.Set("name", new BString("v2"));
        info.Set("meta version", new BInteger(2));
        info.Set("piece length", new BInteger(16384));
        info.Set("file tree", tree);

        var e = Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.FromInfoDictionary(BencodeWriter.Encode(info)));
        Assert.Equal(ErrorCode.InvalidField, e.ErrorCode);
    }
}
