using System.Globalization;
using GodotTorrent.Interop.Harness;

namespace GodotTorrent.Interop;

/// <summary>Tests of the interop harness itself: the reference tools behave as the harness documents.</summary>
public sealed class HarnessTests : IDisposable
{
    private const int Seed = 1234;
    private const string Tracker1 = "http://127.0.0.1:6969/announce";
    private const string Tracker2 = "udp://127.0.0.1:6970";
    private const string Tracker3 = "http://127.0.0.1:6971/announce";
    private const string WebSeed = "http://127.0.0.1:8080/files";

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(LtVersion.V1)]
    [InlineData(LtVersion.V2)]
    [InlineData(LtVersion.Hybrid)]
    public async Task Libtorrent_creates_each_version_and_info_reports_it(LtVersion version)
    {
        var folder = _data.CreateNestedFolder("content", Seed);
        var torrent = _data.PathOf("content.torrent");

        var created = await Libtorrent.CreateAsync(new LtCreateOptions(folder, torrent) { PieceSize = 16384, Version = version });
        var info = await Libtorrent.InfoAsync(torrent);

        Assert.Equal(created.InfoHashV1, info.InfoHashV1);
        Assert.Equal(created.InfoHashV2, info.InfoHashV2);
        Assert.Equal(created.Files, info.Files);
        Assert.Equal("content", info.Name);
        Assert.True(info.MultiFile);
        Assert.Equal(16384, info.PieceLength);
        Assert.Equal((info.TotalSize + 16383) / 16384, info.NumPieces);
        var real = info.RealFiles.ToDictionary(f => f.Path, f => f.Size);
        Assert.Equal(TestData.NestedLayout.ToDictionary(f => "content/" + f.Path, f => f.Size), real);

        // libtorrent's defaults: a creation date, no "created by".
        Assert.NotNull(info.CreationDate);
        Assert.Null(info.Creator);

        switch (version)
        {
            case LtVersion.V1:
                Assert.Matches("^[0-9a-f]{40}$", info.InfoHashV1);
                Assert.Null(info.InfoHashV2);
                Assert.DoesNotContain(info.Files, f => f.Pad);
                Assert.All(info.Files, f => Assert.Null(f.Root));
                Assert.Equal(TestData.NestedLayout.Sum(f => f.Size), info.TotalSize);
                // v1: whole-path byte order, as mktorrent and transmission-create.
                Assert.Equal(["README.txt", "a-c.bin", "a.txt", "a/b.bin", "a/deeper/c.bin", "empty.dat", "z/last.bin"], RelativePaths(info));
                break;
            case LtVersion.V2:
                Assert.Null(info.InfoHashV1);
                Assert.Matches("^[0-9a-f]{64}$", info.InfoHashV2);
                Assert.DoesNotContain("files", info.InfoKeys);
                Assert.Contains("piece layers", info.TopKeys);
                break;
            default:
                Assert.Matches("^[0-9a-f]{40}$", info.InfoHashV1);
                Assert.Matches("^[0-9a-f]{64}$", info.InfoHashV2);
                Assert.Contains(info.Files, f => f.Pad);
                Assert.Contains("files", info.InfoKeys);
                Assert.Contains("file tree", info.InfoKeys);
                break;
        }

        if (version != LtVersion.V1)
        {
            // v2: component order of the file tree; every non-empty file starts a piece and has a root.
            Assert.Equal(["README.txt", "a/b.bin", "a/deeper/c.bin", "a-c.bin", "a.txt", "empty.dat", "z/last.bin"], RelativePaths(info));
            Assert.All(info.RealFiles.Where(f => f.Size > 0), f =>
            {
                Assert.Matches("^[0-9a-f]{64}$", f.Root);
                Assert.Equal(0, f.Offset % 16384);
            });
            Assert.Null(info.RealFiles.Single(f => f.Size == 0).Root);
        }
    }

    [Fact]
    public async Task Libtorrent_output_is_reproducible_with_no_date_and_a_creator()
    {
        var folder = _data.CreateNestedFolder("content", Seed);
        var options = new LtCreateOptions(folder, _data.PathOf("one.torrent"))
        {
            PieceSize = 32768,
            Version = LtVersion.Hybrid,
            NoDate = true,
            Creator = "godot-torrent interop",
            Comment = "harness",
            Trackers = [new(Tracker1, 0), new(Tracker2, 0), new(Tracker3, 1)],
            WebSeeds = [WebSeed],
            Private = true,
        };

        var first = await Libtorrent.CreateAsync(options);
        var second = await Libtorrent.CreateAsync(options with { OutputPath = _data.PathOf("two.torrent") });

        Assert.Equal(await File.ReadAllBytesAsync(_data.PathOf("one.torrent")), await File.ReadAllBytesAsync(_data.PathOf("two.torrent")));
        Assert.Null(first.CreationDate);
        Assert.Equal("godot-torrent interop", first.Creator);
        Assert.Equal("harness", first.Comment);
        Assert.True(first.Private);
        Assert.Equal([new(Tracker1, 0), new(Tracker2, 0), new TrackerEntry(Tracker3, 1)], first.Trackers);
        Assert.Equal([WebSeed], first.WebSeeds);
        Assert.Equal(first.InfoHashV2, second.InfoHashV2);
    }

    [Theory]
    [InlineData(15, false)]
    [InlineData(16, true)]
    [InlineData(17, false)]
    public async Task MkTorrent_and_libtorrent_v1_are_byte_identical_with_the_same_knobs(int exponent, bool isPrivate)
    {
        var folder = _data.CreateNestedFolder("content", Seed);
        var mk = await MkTorrent.CreateAsync(new MkTorrentOptions(folder, _data.PathOf("mk.torrent"))
        {
            PieceLengthExponent = exponent,
            TrackerTiers = [[Tracker1, Tracker2], [Tracker3]],
            WebSeeds = [WebSeed],
            Private = isPrivate,
            Comment = "same",
            NoDate = true,
        });
        var lt = await Libtorrent.CreateAsync(new LtCreateOptions(folder, _data.PathOf("lt.torrent"))
        {
            PieceSize = 1 << exponent,
            Version = LtVersion.V1,
            Trackers = [new(Tracker1, 0), new(Tracker2, 0), new(Tracker3, 1)],
            WebSeeds = [WebSeed],
            Private = isPrivate,
            Comment = "same",
            NoDate = true,
            Creator = MkTorrent.CreatedBy,
        });

        var mkInfo = await Libtorrent.InfoAsync(mk);
        Assert.Equal(lt.InfoHashV1, mkInfo.InfoHashV1);
        Assert.Equal(lt.Files, mkInfo.Files);
        Assert.Equal(lt.Trackers, mkInfo.Trackers);
        Assert.Equal(isPrivate, mkInfo.Private);
        Assert.Equal(await File.ReadAllBytesAsync(_data.PathOf("lt.torrent")), await File.ReadAllBytesAsync(mk));
    }

    [Fact]
    public async Task MkTorrent_date_and_creator_change_the_bytes_but_not_the_info_hash()
    {
        var folder = _data.CreateNestedFolder("content", Seed);
        var mk = await MkTorrent.CreateAsync(new MkTorrentOptions(folder, _data.PathOf("mk.torrent")) { PieceLengthExponent = 15, TrackerTiers = [[Tracker1]] });
        var lt = await Libtorrent.CreateAsync(new LtCreateOptions(folder, _data.PathOf("lt.torrent")) { PieceSize = 32768, Trackers = [new(Tracker1, 0)] });

        var mkInfo = await Libtorrent.InfoAsync(mk);
        Assert.Equal(MkTorrent.CreatedBy, mkInfo.Creator);
        Assert.NotNull(mkInfo.CreationDate);
        Assert.Equal(lt.InfoHashV1, mkInfo.InfoHashV1);

        // mktorrent -s puts "source" into the info dict: a different swarm.
        var sourced = await MkTorrent.CreateAsync(new MkTorrentOptions(folder, _data.PathOf("src.torrent")) { PieceLengthExponent = 15, Source = "tag", NoDate = true });
        var sourcedInfo = await Libtorrent.InfoAsync(sourced);
        Assert.Contains("source", sourcedInfo.InfoKeys);
        Assert.NotEqual(lt.InfoHashV1, sourcedInfo.InfoHashV1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TransmissionCreate_matches_libtorrent_v1_when_private_is_written_and_no_file_is_empty(bool isPrivate)
    {
        var folder = _data.CreateFolder("content", Seed, TestData.NestedLayoutWithoutEmptyFiles);
        var tr = await TransmissionCreate.CreateAsync(new TransmissionCreateOptions(folder, _data.PathOf("tr.torrent"))
        {
            PieceSizeKiB = 32,
            Trackers = [Tracker1, Tracker3],
            Private = isPrivate,
            Comment = "tr",
        });
        var lt = await Libtorrent.CreateAsync(new LtCreateOptions(folder, _data.PathOf("lt.torrent"))
        {
            PieceSize = 32 * 1024,
            Private = isPrivate,
            WritePrivateZero = true,
            FileOrder = LtFileOrder.CaseFold,
        });
        var plain = await Libtorrent.CreateAsync(new LtCreateOptions(folder, _data.PathOf("plain.torrent"))
        {
            PieceSize = 32 * 1024,
            Private = isPrivate,
            FileOrder = LtFileOrder.CaseFold,
        });

        var trInfo = await Libtorrent.InfoAsync(tr);
        Assert.Contains("private", trInfo.InfoKeys);
        Assert.Equal(isPrivate, trInfo.Private);
        Assert.StartsWith("Transmission/3.00", trInfo.Creator, StringComparison.Ordinal);
        Assert.NotNull(trInfo.CreationDate);
        Assert.Contains("encoding", trInfo.TopKeys);
        Assert.Equal([new(Tracker1, 0), new TrackerEntry(Tracker3, 1)], trInfo.Trackers);
        Assert.Equal(lt.Files, trInfo.Files);
        // Case-insensitive order: "README.txt" sorts after "a/...", not first as in byte order.
        Assert.Equal("content/README.txt", trInfo.Files[^2].Path);
        Assert.Equal(lt.InfoHashV1, trInfo.InfoHashV1);
        if (isPrivate)
        {
            Assert.Equal(plain.InfoHashV1, trInfo.InfoHashV1);
        }
        else
        {
            // An explicit "private": 0 is a different info dict from no key at all.
            Assert.NotEqual(plain.InfoHashV1, trInfo.InfoHashV1);
        }
    }

    [Fact]
    public async Task TransmissionCreate_leaves_empty_files_out()
    {
        var folder = _data.CreateNestedFolder("content", Seed);
        var tr = await TransmissionCreate.CreateAsync(new TransmissionCreateOptions(folder, _data.PathOf("tr.torrent")) { PieceSizeKiB = 32 });
        var mk = await MkTorrent.CreateAsync(new MkTorrentOptions(folder, _data.PathOf("mk.torrent")) { PieceLengthExponent = 15, NoDate = true });

        var trInfo = await Libtorrent.InfoAsync(tr);
        var mkInfo = await Libtorrent.InfoAsync(mk);
        Assert.Equal(TestData.NestedLayout.Count - 1, trInfo.Files.Count);
        Assert.DoesNotContain(trInfo.Files, f => f.Path == "content/empty.dat");
        Assert.Equal(TestData.NestedLayout.Count, mkInfo.Files.Count);
        Assert.Contains(mkInfo.Files, f => f.Path == "content/empty.dat" && f.Size == 0);
    }

    [Fact]
    public async Task Single_file_paths_are_the_name()
    {
        var file = _data.CreateFile("movie.bin", 100_000, Seed);
        var v1 = await Libtorrent.CreateAsync(new LtCreateOptions(file, _data.PathOf("v1.torrent")) { PieceSize = 16384 });
        var v2 = await Libtorrent.CreateAsync(new LtCreateOptions(file, _data.PathOf("v2.torrent")) { PieceSize = 16384, Version = LtVersion.V2 });

        Assert.False(v1.MultiFile);
        Assert.Equal([new LtFileEntry("movie.bin", 100_000, 0, false, false, false, false, null)], v1.Files);
        Assert.False(v2.MultiFile);
        Assert.Equal("movie.bin", v2.RealFiles.Single().Path);
        // libtorrent aligns v2 files to pieces in memory, even a single file with nothing after it.
        Assert.Equal(7 * 16384, v2.TotalSize);
        Assert.Equal("movie.bin/.pad/14688", v2.Files.Single(f => f.Pad).Path);
    }

    [Theory]
    [InlineData(LtVersion.V1)]
    [InlineData(LtVersion.V2)]
    [InlineData(LtVersion.Hybrid)]
    public async Task Magnet_round_trips_through_libtorrent(LtVersion version)
    {
        var folder = _data.CreateNestedFolder("content", Seed);
        var info = await Libtorrent.CreateAsync(new LtCreateOptions(folder, _data.PathOf("c.torrent"))
        {
            PieceSize = 16384,
            Version = version,
            Trackers = [new(Tracker1, 0), new(Tracker3, 1)],
            WebSeeds = [WebSeed],
        });

        var uri = await Libtorrent.MagnetAsync(_data.PathOf("c.torrent"));
        Assert.StartsWith("magnet:?", uri, StringComparison.Ordinal);
        var parsed = await Libtorrent.ParseMagnetAsync(uri + "&x.pe=127.0.0.1:6881");

        Assert.Equal(info.InfoHashV1, parsed.InfoHashV1);
        Assert.Equal(info.InfoHashV2, parsed.InfoHashV2);
        Assert.Equal("content", parsed.Name);
        Assert.Equal([Tracker1, Tracker3], parsed.Trackers.Order(StringComparer.Ordinal));
        Assert.Equal(["127.0.0.1:6881"], parsed.Peers);
    }

    [Theory]
    [InlineData(LtVersion.V1)]
    [InlineData(LtVersion.V2)]
    [InlineData(LtVersion.Hybrid)]
    public async Task Recheck_reports_exactly_the_corrupted_piece(LtVersion version)
    {
        var folder = _data.CreateNestedFolder("content", Seed);
        var torrent = _data.PathOf("c.torrent");
        var info = await Libtorrent.CreateAsync(new LtCreateOptions(folder, torrent) { PieceSize = 16384, Version = version });

        var intact = await Libtorrent.RecheckAsync(torrent, _data.Root);
        Assert.True(intact.IsComplete, intact.Pieces);
        Assert.Equal(info.NumPieces, intact.Pieces.Length);

        const long offsetInFile = 30_000;
        var target = info.Files.Single(f => f.Path == "content/a/b.bin");
        _data.Corrupt("content/a/b.bin", offsetInFile);
        var expected = (int)((target.Offset + offsetInFile) / info.PieceLength);

        var damaged = await Libtorrent.RecheckAsync(torrent, _data.Root);
        Assert.Equal([expected], damaged.MissingPieces);
    }

    [Fact]
    public async Task Recheck_of_missing_data_has_no_pieces()
    {
        var folder = _data.CreateNestedFolder("content", Seed);
        var torrent = _data.PathOf("c.torrent");
        var info = await Libtorrent.CreateAsync(new LtCreateOptions(folder, torrent) { PieceSize = 16384 });
        var empty = Directory.CreateDirectory(_data.PathOf("elsewhere")).FullName;

        var result = await Libtorrent.RecheckAsync(torrent, empty, TimeSpan.FromSeconds(20));

        Assert.Equal(new string('0', info.NumPieces), result.Pieces);
    }

    [Fact]
    public async Task Lt_tool_errors_become_ToolFailedException_with_stderr()
    {
        var ex = await Assert.ThrowsAsync<ToolFailedException>(() => Libtorrent.InfoAsync(_data.PathOf("missing.torrent")));
        Assert.Equal(1, ex.ExitCode);
        Assert.Contains("missing.torrent", ex.StandardError, StringComparison.Ordinal);
        Assert.False(ex.TimedOut);
    }

    [Fact]
    public async Task ToolProcess_throws_with_stderr_on_non_zero_exit()
    {
        var ex = await Assert.ThrowsAsync<ToolFailedException>(() =>
            ToolProcess.RunAsync("/bin/sh", ["-c", "echo out; echo broken >&2; exit 3"], TimeSpan.FromSeconds(10)));
        Assert.Equal(3, ex.ExitCode);
        Assert.Equal("broken\n", ex.StandardError);
        Assert.Equal("out\n", ex.StandardOutput);
        Assert.Contains("broken", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolProcess_line_wait_fails_at_once_with_the_exit_code_when_output_ends()
    {
        using var tool = ToolProcess.Start("/bin/sh", ["-c", "echo one; echo dying >&2; exit 3"]);

        // The bound is far longer than the test may take: only the end of output can end this wait.
        var ex = await Assert.ThrowsAsync<ToolFailedException>(() => tool.WaitForLineAsync(l => l == "two", TimeSpan.FromMinutes(10)));

        Assert.False(ex.TimedOut);
        Assert.Equal(3, ex.ExitCode);
        Assert.Contains("dying", ex.Message, StringComparison.Ordinal);
        Assert.Equal("one", await tool.WaitForLineAsync(l => l == "one", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ToolProcess_kills_the_whole_tree_on_timeout()
    {
        using var tool = ToolProcess.Start("/bin/sh", ["-c", "sleep 300 & echo $!; wait"]);
        var childLine = await tool.WaitForLineAsync(line => line.Length > 0, TimeSpan.FromSeconds(10));
        var child = int.Parse(childLine, CultureInfo.InvariantCulture);

        var ex = await Assert.ThrowsAsync<ToolFailedException>(() => tool.WaitForExitAsync(TimeSpan.FromMilliseconds(300)));

        Assert.True(ex.TimedOut);
        Assert.True(tool.HasExited);
        Assert.True(await IsGoneAsync(child), $"child {child} still running");
    }

    [Fact]
    public async Task ToolProcess_dispose_kills_the_tree()
    {
        int root, child;
        using (var tool = ToolProcess.Start("/bin/sh", ["-c", "sleep 300 & echo $!; wait"]))
        {
            root = tool.Id;
            child = int.Parse(await tool.WaitForLineAsync(line => line.Length > 0, TimeSpan.FromSeconds(10)), CultureInfo.InvariantCulture);
        }

        Assert.True(await IsGoneAsync(root), $"root {root} still running");
        Assert.True(await IsGoneAsync(child), $"child {child} still running");
    }

    [Fact]
    public async Task ToolProcess_reports_a_missing_executable()
    {
        var ex = await Assert.ThrowsAsync<ToolFailedException>(() =>
            ToolProcess.RunAsync("/nonexistent/tool", [], TimeSpan.FromSeconds(5)));
        Assert.Contains("install-deps", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TestData_is_deterministic_and_cleans_up()
    {
        string root;
        using (var other = TestData.Create())
        {
            root = other.Root;
            var a = _data.CreateNestedFolder("x", 7);
            var b = other.CreateNestedFolder("y", 7);
            foreach (var file in TestData.NestedLayout)
            {
                var bytes = File.ReadAllBytes(Path.Combine(a, file.Path));
                Assert.Equal(file.Size, bytes.Length);
                Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(b, file.Path)));
            }

            Assert.NotEqual(TestData.Content(7, "a.txt", 100), TestData.Content(8, "a.txt", 100));
            Assert.NotEqual(TestData.Content(7, "a.txt", 100), TestData.Content(7, "b.txt", 100));
        }

        Assert.False(Directory.Exists(root));
    }

    private static string[] RelativePaths(LtTorrentInfo info) =>
        info.RealFiles.Select(f => f.Path["content/".Length..]).ToArray();

    /// <summary>True once the PID no longer names a live process (gone, or a zombie awaiting its reaper).</summary>
    private static async Task<bool> IsGoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            var stat = $"/proc/{pid}/stat";
            string? text = null;
            try
            {
                text = await File.ReadAllTextAsync(stat);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            if (text is null || text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
