using System.Security.Cryptography;
using System.Text;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Metainfo;

public sealed class TorrentCreatorTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "godot-torrent-creator-" + Guid.NewGuid().ToString("N"));

    public TorrentCreatorTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Single_file_parses_back_with_independently_checked_hashes(TorrentVersion version)
    {
        var content = Write("movie.bin", 100_000, 1);

        var torrent = await TorrentCreator.CreateAsync(PathOf("movie.bin"), new() { Version = version, PieceLength = 32768 });
        var reparsed = TorrentInfo.Parse(torrent.ToBytes());

        Assert.Equal(torrent.InfoHashes, reparsed.InfoHashes);
        Assert.Equal(version, reparsed.Version);
        Assert.False(reparsed.IsMultiFile);
        Assert.Equal("movie.bin", reparsed.Name);
        Assert.Equal(100_000, reparsed.TotalSize);
        Assert.Equal(4, reparsed.PieceCount);
        Assert.DoesNotContain(reparsed.Files, f => f.IsPad);
        if (reparsed.HasV1)
        {
            for (int i = 0; i < 4; i++)
            {
                var slice = content.AsSpan(i * 32768, Math.Min(32768, content.Length - i * 32768));
                Assert.Equal(SHA1.HashData(slice), reparsed.GetPieceHashV1(i).ToArray());
            }
        }

        if (reparsed.HasV2)
        {
            Assert.Equal(MerkleRoot(content), reparsed.Files[0].PiecesRoot.ToArray());
            Assert.Equal(4 * 32, reparsed.GetPieceLayer(0).Length);
            Assert.Equal(MerkleRoot(content.AsSpan(32768, 32768).ToArray(), 2), reparsed.GetPieceLayer(0).Slice(32, 32).ToArray());
        }
    }

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Folder_with_nested_dirs_and_an_empty_file_hashes_the_padded_stream(TorrentVersion version)
    {
        var files = new Dictionary<string, byte[]>
        {
            ["README.txt"] = Write("pack/README.txt", 1_000, 2),
            ["a-c.bin"] = Write("pack/a-c.bin", 20_000, 3),
            ["a/b.bin"] = Write("pack/a/b.bin", 70_001, 4),
            ["a/deeper/c.bin"] = Write("pack/a/deeper/c.bin", 16_384, 5),
            ["empty.dat"] = Write("pack/empty.dat", 0, 6),
        };

        var torrent = TorrentInfo.Parse((await TorrentCreator.CreateAsync(PathOf("pack"), new() { Version = version, PieceLength = 16384 })).ToBytes());

        Assert.True(torrent.IsMultiFile);
        Assert.Equal("pack", torrent.Name);
        var real = torrent.Files.Where(f => !f.IsPad).Select(f => f.Path["pack/".Length..]).ToArray();
        string[] expected = version == TorrentVersion.V1
            ? ["README.txt", "a-c.bin", "a/b.bin", "a/deeper/c.bin", "empty.dat"]
            : ["README.txt", "a/b.bin", "a/deeper/c.bin", "a-c.bin", "empty.dat"];
        Assert.Equal(expected, real);
        Assert.Equal(files.Values.Sum(f => (long)f.Length), torrent.TotalSize);

        if (version == TorrentVersion.Hybrid)
        {
            // Pads after every file not ending on a piece boundary; none after c.bin (16 KiB) or the empty file.
            Assert.Equal([16384 - 1000, 5 * 16384 - 70_001, 2 * 16384 - 20_000], torrent.Files.Where(f => f.IsPad).Select(f => f.Length));
            Assert.All(torrent.Files.Where(f => !f.IsPad && f.Length > 0), f => Assert.Equal(0, f.Offset % 16384));
        }
        else if (version == TorrentVersion.V1)
        {
            Assert.DoesNotContain(torrent.Files, f => f.IsPad);
        }

        if (torrent.HasV1)
        {
            var stream = torrent.Files.SelectMany(f => f.IsPad ? new byte[f.Length] : files[f.Path["pack/".Length..]]).ToArray();
            Assert.Equal(torrent.PieceCount, (stream.Length + 16383) / 16384);
            for (int i = 0; i < torrent.PieceCount; i++)
            {
                var slice = stream.AsSpan(i * 16384, Math.Min(16384, stream.Length - i * 16384));
                Assert.Equal(SHA1.HashData(slice), torrent.GetPieceHashV1(i).ToArray());
            }
        }

        if (torrent.HasV2)
        {
            foreach (var file in torrent.Files.Where(f => !f.IsPad))
            {
                var data = files[file.Path["pack/".Length..]];
                Assert.Equal(data.Length == 0 ? [] : MerkleRoot(data), file.PiecesRoot.ToArray());
            }
        }
    }

    [Theory]
    [InlineData(TorrentVersion.V1, "one/only.bin")]
    [InlineData(TorrentVersion.Hybrid, "one/only.bin")]
    // A v2-only file tree cannot tell a folder holding one file from a single file; libtorrent reads it as one file too.
    [InlineData(TorrentVersion.V2, "one")]
    public async Task Folder_holding_one_file(TorrentVersion version, string expectedPath)
    {
        Write("one/only.bin", 40_000, 24);

        var torrent = await TorrentCreator.CreateAsync(PathOf("one"), new() { Version = version, PieceLength = 16384 });
        var reparsed = TorrentInfo.Parse(torrent.ToBytes());

        Assert.Equal("one", reparsed.Name);
        Assert.Equal(expectedPath, reparsed.Files.Single(f => !f.IsPad).Path);
        Assert.Equal(torrent.InfoHashes, reparsed.InfoHashes);
    }

    [Fact]
    public async Task Options_land_in_the_torrent_and_survive_a_round_trip()
    {
        Write("data.bin", 5_000, 7);
        var date = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var options = new TorrentCreatorOptions
        {
            Version = TorrentVersion.Hybrid,
            Trackers = [["http://a/announce", " http://b/announce ", "http://a/announce"], ["udp://c:1"], []],
            WebSeeds = ["http://seed/"],
            IsPrivate = true,
            Comment = "hello",
            CreatedBy = "tester",
            CreationDate = date,
            Source = "GT",
            Name = "renamed.bin",
        };

        var torrent = await TorrentCreator.CreateAsync(PathOf("data.bin"), options);
        var bytes = torrent.ToBytes();
        var reparsed = TorrentInfo.Parse(bytes);

        Assert.Equal("renamed.bin", reparsed.Name);
        Assert.Equal([["http://a/announce", "http://b/announce"], ["udp://c:1"]], reparsed.Trackers.Select(t => t.ToArray()).ToArray());
        Assert.Equal(["http://seed/"], reparsed.WebSeeds);
        Assert.True(reparsed.IsPrivate);
        Assert.Equal("hello", reparsed.Comment);
        Assert.Equal("tester", reparsed.CreatedBy);
        Assert.Equal(date, reparsed.CreationDate);
        Assert.Equal("GT", reparsed.Source);
        Assert.Equal(bytes, reparsed.ToBytes());
    }

    [Fact]
    public async Task Defaults_are_hybrid_with_the_library_creator_and_no_date_so_output_is_reproducible()
    {
        Write("game/level.pak", 50_000, 8);
        Write("game/bin/run", 3_000, 9);

        var first = await TorrentCreator.CreateAsync(PathOf("game"));
        var second = await TorrentCreator.CreateAsync(PathOf("game"), new() { MaxDegreeOfParallelism = 1 });

        Assert.Equal(first.ToBytes(), second.ToBytes());
        Assert.Equal(TorrentVersion.Hybrid, first.Version);
        Assert.Null(first.CreationDate);
        Assert.StartsWith("Godot-Torrent/", first.CreatedBy, StringComparison.Ordinal);
        Assert.Equal(TorrentCreator.DefaultCreatedBy, first.CreatedBy);
        Assert.Equal(16384, first.PieceLength);
        Assert.Empty(first.Trackers);
        Assert.False(first.IsPrivate);
    }

    [Fact]
    public async Task Worker_count_does_not_change_the_output()
    {
        Write("big/one.bin", 5 * 1024 * 1024 + 123, 10);
        Write("big/two.bin", 700_000, 11);

        var one = await TorrentCreator.CreateAsync(PathOf("big"), new() { PieceLength = 16384, MaxDegreeOfParallelism = 1 });
        var four = await TorrentCreator.CreateAsync(PathOf("big"), new() { PieceLength = 16384, MaxDegreeOfParallelism = 4 });

        Assert.Equal(one.ToBytes(), four.ToBytes());
    }

    [Theory]
    [InlineData(0L, 16384)]
    [InlineData(1_000_000L, 16384)]
    [InlineData(32L * 1024 * 1024, 16384)]
    [InlineData(32L * 1024 * 1024 + 1, 32768)]
    [InlineData(100L * 1024 * 1024, 65536)]
    [InlineData(1024L * 1024 * 1024, 512 * 1024)]
    [InlineData(8L * 1024 * 1024 * 1024, 4 * 1024 * 1024)]
    [InlineData(1L << 40, 16 * 1024 * 1024)]
    public void Automatic_piece_length_aims_at_one_to_two_thousand_pieces(long totalSize, int expected)
    {
        int length = TorrentCreator.ChoosePieceLength(totalSize);

        Assert.Equal(expected, length);
        if (length is > TorrentCreator.MinAutoPieceLength and < TorrentCreator.MaxAutoPieceLength)
        {
            Assert.InRange((totalSize + length - 1) / length, 1025, 2048);
        }
    }

    [Fact]
    public async Task Progress_is_monotonic_and_ends_at_the_total()
    {
        Write("p/a.bin", 3 * 1024 * 1024, 12);
        Write("p/b.bin", 2 * 1024 * 1024 + 5, 13);
        var reports = new SyncProgress();

        var torrent = await TorrentCreator.CreateAsync(PathOf("p"), new() { PieceLength = 16384, MaxDegreeOfParallelism = 2 }, reports);

        Assert.True(reports.Items.Count >= 2);
        for (int i = 1; i < reports.Items.Count; i++)
        {
            Assert.True(reports.Items[i].BytesHashed > reports.Items[i - 1].BytesHashed);
            Assert.True(reports.Items[i].PiecesHashed > reports.Items[i - 1].PiecesHashed);
        }

        var last = reports.Items[^1];
        Assert.Equal(torrent.TotalSize, last.BytesHashed);
        Assert.Equal(torrent.TotalSize, last.TotalBytes);
        Assert.Equal(torrent.PieceCount, last.PiecesHashed);
        Assert.Equal(torrent.PieceCount, last.TotalPieces);
        Assert.Equal(1.0, last.Fraction);
    }

    [Fact]
    public async Task Cancellation_throws_before_and_during_hashing()
    {
        Write("c/a.bin", 6 * 1024 * 1024, 14);
        using var before = new CancellationTokenSource();
        await before.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TorrentCreator.CreateAsync(PathOf("c"), null, null, before.Token));

        using var during = new CancellationTokenSource();
        var progress = new SyncProgress(_ => during.Cancel());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TorrentCreator.CreateAsync(PathOf("c"), new() { PieceLength = 16384, MaxDegreeOfParallelism = 1 }, progress, during.Token));
        Assert.Single(progress.Items);
    }

    [Fact]
    public async Task Hidden_files_and_folders_are_left_out_unless_asked_for()
    {
        Write("h/visible.bin", 1_000, 15);
        Write("h/.hidden", 1_000, 16);
        Write("h/.git/config", 1_000, 17);

        var plain = await TorrentCreator.CreateAsync(PathOf("h"), new() { Version = TorrentVersion.V1 });
        var all = await TorrentCreator.CreateAsync(PathOf("h"), new() { Version = TorrentVersion.V1, IncludeHiddenFiles = true });

        Assert.Equal(["h/visible.bin"], plain.Files.Select(f => f.Path));
        Assert.Equal(["h/.git/config", "h/.hidden", "h/visible.bin"], all.Files.Select(f => f.OriginalPath));
    }

    [Fact]
    public async Task Symlinks_are_skipped_by_default_and_followed_only_inside_the_root()
    {
        Write("s/real.bin", 2_000, 18);
        Write("outside.bin", 3_000, 19);
        File.CreateSymbolicLink(PathOf("s/inside-link.bin"), PathOf("s/real.bin"));
        File.CreateSymbolicLink(PathOf("s/outside-link.bin"), PathOf("outside.bin"));
        Directory.CreateSymbolicLink(PathOf("s/dir-link"), _root);

        var skipped = await TorrentCreator.CreateAsync(PathOf("s"), new() { Version = TorrentVersion.V1 });
        var followed = await TorrentCreator.CreateAsync(PathOf("s"), new() { Version = TorrentVersion.V1, Symlinks = SymlinkPolicy.FollowInsideRoot });

        Assert.Equal(["s/real.bin"], skipped.Files.Select(f => f.Path));
        Assert.Equal(["s/inside-link.bin", "s/real.bin"], followed.Files.Select(f => f.Path));
        Assert.Equal(followed.GetPieceHashV1(0).ToArray(), SHA1.HashData([.. File.ReadAllBytes(PathOf("s/real.bin")), .. File.ReadAllBytes(PathOf("s/real.bin"))]));
    }

    [Fact]
    public async Task Executable_files_get_the_x_attribute_unless_turned_off()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no execute bit on Windows
        }

        Write("x/tool", 1_000, 20);
        Write("x/data", 1_000, 21);
        File.SetUnixFileMode(PathOf("x/tool"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var marked = await TorrentCreator.CreateAsync(PathOf("x"));
        var plain = await TorrentCreator.CreateAsync(PathOf("x"), new() { RecordExecutableAttribute = false });

        Assert.Equal(TorrentFileAttributes.Executable, marked.Files.Single(f => f.Path == "x/tool").Attributes);
        Assert.Equal(TorrentFileAttributes.None, marked.Files.Single(f => f.Path == "x/data").Attributes);
        Assert.DoesNotContain(plain.Files, f => (f.Attributes & TorrentFileAttributes.Executable) != 0);
        Assert.NotEqual(marked.InfoHashes, plain.InfoHashes);
    }

    [Fact]
    public async Task Missing_path_empty_folder_and_bad_options_throw_typed_errors()
    {
        var missing = await Assert.ThrowsAsync<TorrentException>(() => TorrentCreator.CreateAsync(PathOf("nope")));
        Assert.Equal(ErrorCode.FileMissing, missing.ErrorCode);

        Directory.CreateDirectory(PathOf("empty/sub"));
        var empty = await Assert.ThrowsAsync<TorrentException>(() => TorrentCreator.CreateAsync(PathOf("empty")));
        Assert.Equal(ErrorCode.EmptyTorrent, empty.ErrorCode);

        Write("zeros/a", 0, 0);
        var zeros = await Assert.ThrowsAsync<TorrentException>(() => TorrentCreator.CreateAsync(PathOf("zeros")));
        Assert.Equal(ErrorCode.EmptyTorrent, zeros.ErrorCode);

        Write("ok.bin", 10, 22);
        await Assert.ThrowsAsync<ArgumentException>(() => TorrentCreator.CreateAsync(PathOf("ok.bin"), new() { PieceLength = 20_000 }));
        await Assert.ThrowsAsync<ArgumentException>(() => TorrentCreator.CreateAsync(PathOf("ok.bin"), new() { PieceLength = 8192 }));
        await Assert.ThrowsAsync<ArgumentException>(() => TorrentCreator.CreateAsync(PathOf("ok.bin"), new() { Name = "a/b" }));
        await Assert.ThrowsAsync<ArgumentException>(() => TorrentCreator.CreateAsync(PathOf("ok.bin"), new() { Version = (TorrentVersion)4 }));
    }

    [Fact]
    public async Task CreateFileAsync_writes_the_bytes_and_leaves_no_temporary_file()
    {
        Write("f/a.bin", 40_000, 23);
        Directory.CreateDirectory(PathOf("out"));
        var output = PathOf("out/f.torrent");
        await File.WriteAllTextAsync(output, "old");

        var torrent = await TorrentCreator.CreateFileAsync(PathOf("f"), output);

        Assert.Equal(torrent.ToBytes(), await File.ReadAllBytesAsync(output));
        Assert.Equal(["f.torrent"], Directory.GetFiles(PathOf("out")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(TorrentVersion.V1, 16 * 1024)]
    [InlineData(TorrentVersion.V1, 256 * 1024)]
    [InlineData(TorrentVersion.V1, 512 * 1024)]
    [InlineData(TorrentVersion.V2, 16 * 1024)]
    [InlineData(TorrentVersion.V2, 256 * 1024)]
    [InlineData(TorrentVersion.V2, 512 * 1024)]
    [InlineData(TorrentVersion.Hybrid, 16 * 1024)]
    [InlineData(TorrentVersion.Hybrid, 256 * 1024)]
    [InlineData(TorrentVersion.Hybrid, 512 * 1024)]
    public async Task Enough_pieces_for_groups_of_sixteen_hash_as_the_book_says(TorrentVersion version, int pieceLength)
    {
        // Groups of sixteen full pieces are hashed together where the CPU has AVX-512 lanes: files that
        // end mid-piece and mid-leaf, a file shorter than a piece and an empty one must come out as one by one.
        var files = new Dictionary<string, byte[]>
        {
            ["a.bin"] = Write("group/a.bin", (40 * pieceLength) + 12_345, 21),
            ["b.bin"] = Write("group/b.bin", (pieceLength / 2) + 7, 22),
            ["c.bin"] = Write("group/c.bin", 0, 23),
            ["d.bin"] = Write("group/d.bin", 17 * pieceLength, 24),
        };

        var torrent = TorrentInfo.Parse((await TorrentCreator.CreateAsync(PathOf("group"), new() { Version = version, PieceLength = pieceLength })).ToBytes());

        Assert.True(torrent.PieceCount >= 2 * 16);
        if (torrent.HasV1)
        {
            var stream = torrent.Files.OrderBy(f => f.Offset).SelectMany(f => f.IsPad ? new byte[f.Length] : files[f.Path["group/".Length..]]).ToArray();
            for (int i = 0; i < torrent.PieceCount; i++)
            {
                var slice = stream.AsSpan(i * pieceLength, Math.Min(pieceLength, stream.Length - (i * pieceLength)));
                Assert.True(SHA1.HashData(slice).AsSpan().SequenceEqual(torrent.GetPieceHashV1(i)), $"piece {i}");
            }
        }

        if (torrent.HasV2)
        {
            foreach (var file in torrent.Files.Where(f => !f.IsPad && f.Length > 0))
            {
                var data = files[file.Path["group/".Length..]];
                Assert.Equal(MerkleRoot(data), file.PiecesRoot.ToArray());
                if (data.Length > pieceLength)
                {
                    var layer = torrent.GetPieceLayer(file.Index);
                    for (int node = 0; node * pieceLength < data.Length; node++)
                    {
                        var piece = data.AsSpan(node * pieceLength, Math.Min(pieceLength, data.Length - (node * pieceLength))).ToArray();
                        Assert.True(MerkleRoot(piece, pieceLength / 16384).AsSpan().SequenceEqual(layer.Slice(node * 32, 32)), $"{file.Path} node {node}");
                    }
                }
            }
        }
    }

    private string PathOf(string relative) => Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar));

    private byte[] Write(string relative, int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, data);
        return data;
    }

    // BEP 52 by the book, independent of MerkleTree: SHA-256 leaves of 16 KiB, zero leaves up to a power of two.
    private static byte[] MerkleRoot(byte[] data, int minLeaves = 1)
    {
        var level = new List<byte[]>();
        for (int at = 0; at < data.Length; at += 16384)
        {
            level.Add(SHA256.HashData(data.AsSpan(at, Math.Min(16384, data.Length - at))));
        }

        int leaves = Math.Max(minLeaves, 1);
        while (leaves < level.Count)
        {
            leaves *= 2;
        }

        while (level.Count < leaves)
        {
            level.Add(new byte[32]);
        }

        while (level.Count > 1)
        {
            level = Enumerable.Range(0, level.Count / 2).Select(i => SHA256.HashData([.. level[2 * i], .. level[2 * i + 1]])).ToList();
        }

        return level[0];
    }

    private sealed class SyncProgress(Action<TorrentCreationProgress>? onReport = null) : IProgress<TorrentCreationProgress>
    {
        public List<TorrentCreationProgress> Items { get; } = [];

        public void Report(TorrentCreationProgress value)
        {
            lock (Items)
            {
                Items.Add(value);
            }

            onReport?.Invoke(value);
        }
    }
}
