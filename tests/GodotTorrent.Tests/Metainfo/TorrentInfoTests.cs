using System.Security.Cryptography;
using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Metainfo;

public class TorrentInfoTests
{
    [Fact]
    public void Single_file_torrent_exposes_its_metainfo()
    {
        var content = TorrentFiles.Content(100_000, 7);
        var info = TorrentFiles.SingleFileInfo("movie.bin", content, 32768);
        info.Set("private", new BInteger(1));
        info.Set("source", new BString("GT"));
        var bytes = TorrentFiles.Torrent(info, root =>
        {
            root.Set("announce", new BString("http://127.0.0.1:1/announce"));
            root.Set("comment", new BString("hello"));
            root.Set("created by", new BString("test"));
            root.Set("creation date", new BInteger(1_700_000_000));
            root.Set("url-list", new BString("http://127.0.0.1:2/files/"));
        });

        var torrent = TorrentInfo.Parse(bytes);

        Assert.Equal("movie.bin", torrent.Name);
        Assert.False(torrent.IsMultiFile);
        Assert.Equal(TorrentVersion.V1, torrent.Version);
        var file = Assert.Single(torrent.Files);
        Assert.Equal("movie.bin", file.Path);
        Assert.Equal(100_000, file.Length);
        Assert.Equal(32768, torrent.PieceLength);
        Assert.Equal(4, torrent.PieceCount);
        Assert.Equal(100_000 - 3 * 32768, torrent.LastPieceSize);
        Assert.Equal(SHA1.HashData(content.AsSpan(32768, 32768)), torrent.GetPieceHashV1(1).ToArray());
        Assert.Equal(SHA1.HashData(BencodeWriter.Encode(info)), torrent.InfoHashes.V1!.ToArray());
        Assert.Null(torrent.InfoHashes.V2);
        Assert.True(torrent.IsPrivate);
        Assert.Equal("GT", torrent.Source);
        Assert.Equal(["http://127.0.0.1:1/announce"], Assert.Single(torrent.Trackers));
        Assert.Equal(["http://127.0.0.1:2/files/"], torrent.WebSeeds);
        Assert.Equal("hello", torrent.Comment);
        Assert.Equal("test", torrent.CreatedBy);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), torrent.CreationDate);
        Assert.Equal(0, file.FirstPiece);
        Assert.Equal(3, file.LastPiece);
    }

    [Fact]
    public void Multi_file_torrent_has_offsets_pieces_and_tiers()
    {
        var info = TorrentFiles.MultiFileInfo("pack", [(["a.txt"], 10), (["dir", "b.bin"], 70_000), (["empty"], 0), (["c"], 5)], 16384);
        var bytes = TorrentFiles.Torrent(info, root =>
        {
            root.Set("announce", new BString("http://ignored/announce"));
            root.Set("announce-list", new BList([
                new BList([new BString("http://t1/a"), new BString("udp://t2:1")]),
                new BList([]),
                new BList([new BString("http://t3/a"), new BString("http://t1/a")]),
            ]));
        });

        var torrent = TorrentInfo.Parse(bytes);

        Assert.True(torrent.IsMultiFile);
        Assert.Equal(["pack/a.txt", "pack/dir/b.bin", "pack/empty", "pack/c"], torrent.Files.Select(f => f.Path));
        Assert.Equal([0L, 10, 70_010, 70_010], torrent.Files.Select(f => f.Offset));
        Assert.Equal(70_015, torrent.TotalSize);
        Assert.Equal(5, torrent.PieceCount);
        Assert.Equal((0, 4), (torrent.Files[1].FirstPiece, torrent.Files[1].LastPiece));
        Assert.Equal(torrent.Files[2].FirstPiece - 1, torrent.Files[2].LastPiece);
        Assert.Equal(2, torrent.Trackers.Count);
        Assert.Equal(["http://t1/a", "udp://t2:1"], torrent.Trackers[0]);
        Assert.Equal(["http://t3/a"], torrent.Trackers[1]);
        Assert.Same(torrent.Files[1], torrent.FindFileAt(16384));
        Assert.Same(torrent.Files[3], torrent.FindFileAt(70_012));
    }

    [Theory]
    [InlineData(new[] { ".." , "etc", "passwd" }, "pack/etc/passwd")]
    [InlineData(new[] { "/abs", "x" }, "pack/_abs/x")]
    [InlineData(new[] { "C:", "win.ini" }, "pack/C_/win.ini")]
    [InlineData(new[] { "a\\..\\..\\b" }, "pack/a_.._.._b")]
    [InlineData(new[] { "CON.txt" }, "pack/_CON.txt")]
    [InlineData(new[] { "dots...", "." , "x " }, "pack/dots/x")]
    [InlineData(new[] { "ctl\u0001" }, "pack/ctl_")]
    public void Paths_are_sanitised_into_the_save_folder(string[] path, string expected)
    {
        var info = TorrentFiles.MultiFileInfo("pack", [(path, 3)], 16384);
        var torrent = TorrentInfo.Parse(TorrentFiles.Torrent(info));

        var file = Assert.Single(torrent.Files);
        Assert.Equal(expected, file.Path);
        Assert.Equal("pack/" + string.Join('/', path), file.OriginalPath);
        var root = Path.GetFullPath("/save");
        Assert.StartsWith(root + Path.DirectorySeparatorChar, Path.GetFullPath(Path.Combine(root, file.Path)), StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_names_and_collisions_are_made_safe_and_unique()
    {
        var info = TorrentFiles.MultiFileInfo("..", [(["a.txt"], 1), (["A.TXT"], 1), (["x", "..", "a.txt"], 1), (["b" + new string('é', 200) + ".dat"], 1)], 16384);
        var torrent = TorrentInfo.Parse(TorrentFiles.Torrent(info));

        Assert.Equal(torrent.InfoHashes.Primary.ToHex(), torrent.Name);
        var paths = torrent.Files.Select(f => f.Path).ToList();
        Assert.Equal(paths.Count, paths.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(torrent.Name + "/A.1.TXT", paths[1]);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(paths[3].Split('/')[^1]) <= 240);
        Assert.EndsWith(".dat", paths[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8_name_and_path_fields_are_preferred()
    {
        var info = TorrentFiles.MultiFileInfo("legacy", [(["old"], 4)], 16384);
        info.Set("name.utf-8", new BString("nouveau"));
        var entry = (BDictionary)info.Get<BList>("files")![0];
        entry.Set("path.utf-8", new BList([new BString("été")]));

        var torrent = TorrentInfo.Parse(TorrentFiles.Torrent(info));
        Assert.Equal("nouveau/été", torrent.Files[0].Path);
    }

    [Fact]
    public void Attributes_and_pad_files_are_read()
    {
        var info = TorrentFiles.MultiFileInfo("p", [(["run.sh"], 100), ([".pad", "16284"], 16284), (["link"], 0)], 16384);
        var files = info.Get<BList>("files")!;
        ((BDictionary)files[0]).Set("attr", new BString("xh"));
        ((BDictionary)files[1]).Set("attr", new BString("p"));
        ((BDictionary)files[2]).Set("attr", new BString("l"));
        ((BDictionary)files[2]).Set("symlink path", new BList([new BString("run.sh")]));

        var torrent = TorrentInfo.Parse(TorrentFiles.Torrent(info));

        Assert.Equal(TorrentFileAttributes.Executable | TorrentFileAttributes.Hidden, torrent.Files[0].Attributes);
        Assert.True(torrent.Files[1].IsPad);
        Assert.Equal(100, torrent.TotalSize);
        Assert.Equal(16384, torrent.PieceSpaceSize);
        Assert.Equal(TorrentFileAttributes.Symlink, torrent.Files[2].Attributes);
        Assert.Equal("run.sh", torrent.Files[2].SymlinkTarget);
    }

    [Fact]
    public void Info_dictionary_is_hashed_as_received_and_written_back_unchanged()
    {
        // Keys out of order: re-encoding would sort them and change the hash.
        var content = TorrentFiles.Content(1000, 3);
        var pieces = TorrentFiles.V1Pieces(content, 16384);
        var infoText = System.Text.Encoding.ASCII.GetBytes("d4:name1:x6:lengthi1000e12:piece lengthi16384e6:pieces20:");
        byte[] infoBytes = [.. infoText, .. pieces, (byte)'e'];
        byte[] torrentBytes = [.. "d4:info"u8.ToArray(), .. infoBytes, .. "8:announce6:http:xe"u8.ToArray()];

        var torrent = TorrentInfo.Parse(torrentBytes);

        Assert.Equal(SHA1.HashData(infoBytes), torrent.InfoHashes.V1!.ToArray());
        Assert.Equal(infoBytes, torrent.InfoBytes.ToArray());
        var again = TorrentInfo.Parse(torrent.ToBytes());
        Assert.Equal(torrent.InfoHashes, again.InfoHashes);
        Assert.Equal(torrent.Trackers.Single(), again.Trackers.Single());
    }

    [Fact]
    public void Round_trip_keeps_every_field()
    {
        var info = TorrentFiles.MultiFileInfo("rt", [(["a"], 20_000), (["b"], 30_000)], 16384);
        var bytes = TorrentFiles.Torrent(info, root =>
        {
            root.Set("announce", new BString("http://a/1"));
            root.Set("announce-list", new BList([new BList([new BString("http://a/1"), new BString("http://b/1")]), new BList([new BString("udp://c:2")])]));
            root.Set("url-list", new BList([new BString("http://w/1"), new BString("http://w/2")]));
            root.Set("comment", new BString("c"));
            root.Set("created by", new BString("me"));
            root.Set("creation date", new BInteger(1234));
        });
        var first = TorrentInfo.Parse(bytes);
        var second = TorrentInfo.Parse(first.ToBytes());

        Assert.Equal(first.InfoHashes, second.InfoHashes);
        Assert.Equal(first.Trackers.Select(t => string.Join(',', t)), second.Trackers.Select(t => string.Join(',', t)));
        Assert.Equal(first.WebSeeds, second.WebSeeds);
        Assert.Equal((first.Comment, first.CreatedBy, first.CreationDate), (second.Comment, second.CreatedBy, second.CreationDate));
        Assert.Equal(bytes, first.ToBytes());
    }

    public static TheoryData<string, ErrorCode> BadTorrents => new()
    {
        { "le", ErrorCode.InvalidField },
        { "d8:announce1:xe", ErrorCode.MissingField },
        { "d4:infoi1ee", ErrorCode.InvalidField },
        { "d4:infod4:name1:x12:piece lengthi16384e6:pieces0:ee", ErrorCode.MissingField },
        { "d4:infod4:name1:x6:lengthi1e12:piece lengthi0e6:pieces20:aaaaaaaaaaaaaaaaaaaaee", ErrorCode.InvalidPieceLength },
        { "d4:infod4:name1:x6:lengthi1e12:piece lengthi16384e6:pieces19:aaaaaaaaaaaaaaaaaaaee", ErrorCode.InvalidPieces },
        { "d4:infod4:name1:x6:lengthi-1e12:piece lengthi16384e6:pieces0:ee", ErrorCode.InvalidField },
        { "d4:infod4:name1:x6:lengthi0e12:piece lengthi16384e6:pieces0:ee", ErrorCode.EmptyTorrent },
        { "d4:infod4:name1:x6:lengthi1e12:piece lengthi16384e6:piecesi1eee", ErrorCode.InvalidField },
        { "d4:infod5:filesle4:name1:x6:lengthi1e12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee", ErrorCode.InvalidField },
        { "d4:infod5:filesld6:lengthi1e4:pathleee4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee", ErrorCode.InvalidPath },
        { "d4:infod5:filesld6:lengthi1e4:pathli5eeee4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee", ErrorCode.InvalidPath },
        { "d4:infod5:filesli1ee4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee", ErrorCode.InvalidField },
        { "d4:infod12:meta versioni3e4:name1:xee", ErrorCode.UnsupportedMetaVersion },
        { "d4:infod12:meta versioni2e4:name1:x12:piece lengthi16384eee", ErrorCode.MissingField },
        { "d4:infod9:file treed1:xd0:d6:lengthi1eeee12:meta versioni2e4:name1:x12:piece lengthi16384eee", ErrorCode.InvalidField },
        { "d4:infod9:file treed1:xd0:d6:lengthi0eeee12:meta versioni2e4:name1:x12:piece lengthi20000eee", ErrorCode.InvalidPieceLength },
        { "d4:infod9:file treed0:d6:lengthi0eee12:meta versioni2e4:name1:x12:piece lengthi16384eee", ErrorCode.InvalidField },
        { "d4:infod4:name1:x6:lengthi1e12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee1:x", ErrorCode.TrailingData },
    };

    [Theory]
    [MemberData(nameof(BadTorrents))]
    public void Malformed_torrents_give_typed_errors(string text, ErrorCode expected)
    {
        var error = Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.Parse(System.Text.Encoding.ASCII.GetBytes(text)));
        Assert.Equal(expected, error.ErrorCode);
        Assert.False(TorrentInfo.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void File_count_and_size_limits_apply()
    {
        var info = TorrentFiles.MultiFileInfo("many", Enumerable.Range(0, 11).Select(i => (new[] { $"f{i}" }, 1)).ToList(), 16384);
        var bytes = TorrentFiles.Torrent(info);

        var tooMany = Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.Parse(bytes, new TorrentParseOptions { MaxFiles = 10 }));
        Assert.Equal(ErrorCode.TooManyFiles, tooMany.ErrorCode);
        var tooBig = Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.Parse(bytes, new TorrentParseOptions { MaxTorrentSize = 100 }));
        Assert.Equal(ErrorCode.InputTooLarge, tooBig.ErrorCode);
    }

    [Fact]
    public async Task Loading_a_file_with_no_end_stops_at_the_size_limit()
    {
        // A device reports a size of 0 and never ends: read whole, it ran out of memory.
        var options = new TorrentParseOptions { MaxTorrentSize = 1 << 20 };

        var sync = Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.Load("/dev/zero", options));
        var async = await Assert.ThrowsAnyAsync<TorrentFormatException>(() => TorrentInfo.LoadAsync("/dev/zero", options));

        Assert.Equal(ErrorCode.InputTooLarge, sync.ErrorCode);
        Assert.Equal(ErrorCode.InputTooLarge, async.ErrorCode);
    }

    [Fact]
    public async Task Loading_reads_a_file_within_the_limit_and_refuses_one_past_it()
    {
        var bytes = TorrentFiles.Torrent(TorrentFiles.SingleFileInfo("a.bin", TorrentFiles.Content(1000, 3), 16384));
        string path = Path.Combine(Path.GetTempPath(), $"gt-load-{Guid.NewGuid():N}.torrent");
        File.WriteAllBytes(path, bytes);
        try
        {
            var exact = new TorrentParseOptions { MaxTorrentSize = bytes.Length };
            Assert.Equal("a.bin", TorrentInfo.Load(path, exact).Name);
            Assert.Equal("a.bin", (await TorrentInfo.LoadAsync(path, exact)).Name);
            var short1 = new TorrentParseOptions { MaxTorrentSize = bytes.Length - 1 };
            Assert.Equal(ErrorCode.InputTooLarge, Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.Load(path, short1)).ErrorCode);
            Assert.Equal(ErrorCode.InputTooLarge, (await Assert.ThrowsAnyAsync<TorrentFormatException>(() => TorrentInfo.LoadAsync(path, short1))).ErrorCode);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void V2_torrent_checks_piece_layers_against_roots()
    {
        const int pieceLength = 32768;
        var big = TorrentFiles.Content(100_000, 11);
        var small = TorrentFiles.Content(5_000, 12);
        var (bigRoot, bigLayer) = V2Hashes(big, pieceLength);
        var (smallRoot, _) = V2Hashes(small, pieceLength);

        BDictionary Leaf(int length, byte[] root)
        {
            var leaf = new BDictionary();
            leaf.Set("length", new BInteger(length));
            leaf.Set("pieces root", new BString(root));
            var node = new BDictionary();
            node.Set("", leaf);
            return node;
        }

        var tree = new BDictionary();
        tree.Set("big.bin", Leaf(big.Length, bigRoot));
        var sub = new BDictionary();
        sub.Set("small.bin", Leaf(small.Length, smallRoot));
        tree.Set("sub", sub);
        var info = new BDictionary();
        info.Set("file tree", tree);
        info.Set("meta version", new BInteger(2));
        info.Set("name", new BString("v2"));
        info.Set("piece length", new BInteger(pieceLength));

        byte[] Build(byte[] layer) => TorrentFiles.Torrent(info, root =>
        {
            var layers = new BDictionary();
            layers.Set(new BString(bigRoot), new BString(layer));
            root.Set("piece layers", layers);
        });

        var torrent = TorrentInfo.Parse(Build(bigLayer));

        Assert.Equal(TorrentVersion.V2, torrent.Version);
        Assert.Null(torrent.InfoHashes.V1);
        Assert.Equal(SHA256.HashData(BencodeWriter.Encode(info)), torrent.InfoHashes.V2!.ToArray());
        Assert.Equal(["v2/big.bin", "v2/sub/small.bin"], torrent.Files.Select(f => f.Path));
        Assert.Equal(4 * pieceLength, torrent.Files[1].Offset);
        Assert.Equal(5, torrent.PieceCount);
        Assert.Equal(100_000 - 3 * pieceLength, torrent.GetPieceSize(3));
        Assert.Equal(5_000, torrent.GetPieceSize(4));
        Assert.Equal(bigLayer, torrent.GetPieceLayer(0).ToArray());
        Assert.True(torrent.GetPieceLayer(1).IsEmpty);
        Assert.Equal(bigRoot, torrent.Files[0].PiecesRoot.ToArray());
        Assert.Equal(torrent.InfoHashes, TorrentInfo.Parse(torrent.ToBytes()).InfoHashes);

        var tampered = (byte[])bigLayer.Clone();
        tampered[5] ^= 1;
        Assert.Equal(ErrorCode.PieceLayerMismatch, Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.Parse(Build(tampered))).ErrorCode);
        Assert.Equal(ErrorCode.MissingField, Assert.ThrowsAny<TorrentFormatException>(() => TorrentInfo.Parse(TorrentFiles.Torrent(info))).ErrorCode);

        var fromInfo = TorrentInfo.FromInfoDictionary(BencodeWriter.Encode(info));
        Assert.False(fromInfo.HasPieceLayers);
        Assert.Equal(torrent.InfoHashes, fromInfo.InfoHashes);
    }

    [Fact]
    public void V2_write_back_keeps_an_empty_piece_layers_dictionary()
    {
        // Found by the libtorrent interop tests: when no file is longer than a piece, libtorrent
        // writes "piece layers" as an empty dictionary. Write-back used to drop it, so the written
        // file re-parsed as a bare info dictionary (HasPieceLayers false) and was not byte-identical.
        const int pieceLength = 32768;
        var content = TorrentFiles.Content(5_000, 13);
        var (root, _) = V2Hashes(content, pieceLength);
        var leaf = new BDictionary();
        leaf.Set("length", new BInteger(content.Length));
        leaf.Set("pieces root", new BString(root));
        var node = new BDictionary();
        node.Set("", leaf);
        var tree = new BDictionary();
        tree.Set("small.bin", node);
        var info = new BDictionary();
        info.Set("file tree", tree);
        info.Set("meta version", new BInteger(2));
        info.Set("name", new BString("small.bin"));
        info.Set("piece length", new BInteger(pieceLength));
        var bytes = TorrentFiles.Torrent(info, r => r.Set("piece layers", new BDictionary()));

        var torrent = TorrentInfo.Parse(bytes);
        var again = TorrentInfo.Parse(torrent.ToBytes());

        Assert.True(torrent.HasPieceLayers);
        Assert.True(again.HasPieceLayers);
        Assert.Equal(bytes, torrent.ToBytes());
        Assert.False(TorrentInfo.Parse(TorrentFiles.Torrent(info)).HasPieceLayers);
    }

    private static (byte[] Root, byte[] Layer) V2Hashes(byte[] content, int pieceLength)
    {
        var blocks = new List<byte>();
        for (int offset = 0; offset < content.Length; offset += MerkleTree.BlockSize)
        {
            blocks.AddRange(SHA256.HashData(content.AsSpan(offset, Math.Min(MerkleTree.BlockSize, content.Length - offset))));
        }

        byte[] blockHashes = [.. blocks];
        return (MerkleTree.RootFromBlockHashes(blockHashes), MerkleTree.PieceLayerFromBlockHashes(blockHashes, pieceLength));
    }
}
