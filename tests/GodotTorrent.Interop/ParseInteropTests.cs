using System.Globalization;
using System.Numerics;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;


namespace GodotTorrent.Interop;

/// <summary>
/// Torrents written by real tools (libtorrent 2.0 v1/v2/hybrid, mktorrent 1.1, transmission-create
/// 3.00) parse with <see cref="TorrentInfo.Load"/> to what libtorrent's own parser reports for the
/// same file, and our write-back (<see cref="TorrentInfo.ToBytes"/>) re-parses in libtorrent to the
/// same torrent.
/// </summary>
public sealed class ParseInteropTests : IDisposable
{
    private const int Seed = 4242;
    private const string Tracker1 = "http://127.0.0.1:6969/announce";
    private const string Tracker2 = "udp://127.0.0.1:6970";
    private const string Tracker3 = "http://127.0.0.1:6971/announce?key=a+b";
    private const string WebSeed = "http://127.0.0.1:8080/files/";
    private const string Comment = "interop comment: ünïcödé & spaces";
    private const string Creator = "GodotTorrent interop";

    /// <summary>Folder name of the odd layout: spaces, non-ASCII and URL-special characters.</summary>
    private const string OddFolder = "Odd name + ü & #1 ☃";

    /// <summary>Name of the single-file torrents.</summary>
    private const string SingleName = "single file é.bin";

    private readonly TestData _data = TestData.Create();

    public enum Tool
    {
        Libtorrent,
        MkTorrent,
        Transmission,
    }

    public enum Layout
    {
        /// <summary><see cref="TestData.NestedLayout"/> in folder "content": nested folders, an empty file.</summary>
        Nested,

        /// <summary><see cref="OddLayout"/> in <see cref="OddFolder"/>.</summary>
        Odd,

        /// <summary>One file, <see cref="SingleName"/>, of <see cref="SingleSize"/> bytes.</summary>
        Single,
    }

    private const long SingleSize = 50_001;

    /// <summary>
    /// Names with spaces, non-ASCII letters (NFC), CJK, an emoji, URL-special characters and a
    /// leading dot, all legal on every platform, so libtorrent and our sanitiser agree on them.
    /// </summary>
    public static IReadOnlyList<TestFile> OddLayout { get; } =
    [
        new("My Folder/ünïcödé file.bin", 20_000),
        new("My Folder/sub dir/a+b & c #1 %20.txt", 5_000),
        new("日本語/名前.txt", 33_333),
        new("emoji 🎮.dat", 1),
        new(".hidden-ish", 17_000),
        new("zero length.txt", 0),
    ];

    /// <summary>The matrix: tool x version x layout x piece size, with the private flag varied.</summary>
    public static IReadOnlyDictionary<string, ParseCase> Cases { get; } = BuildCases();

    public static TheoryData<string> CaseIds => new(Cases.Keys.Order(StringComparer.Ordinal));

    public void Dispose() => _data.Dispose();

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Parse_matches_libtorrent_info(string caseId)
    {
        var c = Cases[caseId];
        var torrentPath = await CreateAsync(c);

        var lt = await Libtorrent.InfoAsync(torrentPath);
        var ours = TorrentInfo.Load(torrentPath);

        AssertSame(lt, ours);
        AssertExpectedContent(c, lt);
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Write_back_reparses_in_libtorrent_to_the_same_torrent(string caseId)
    {
        var c = Cases[caseId];
        var torrentPath = await CreateAsync(c);
        var original = await Libtorrent.InfoAsync(torrentPath);
        var ours = TorrentInfo.Load(torrentPath);

        var written = _data.PathOf("written.torrent");
        await File.WriteAllBytesAsync(written, ours.ToBytes());
        if (c.Tool == Tool.Libtorrent)
        {
            // libtorrent writes only keys we keep, in canonical order: byte-identical. Not so for
            // the others, with the same meaning: mktorrent writes a single web seed as a string
            // ("url-list": "http://...", which BEP 19 allows; we write a list), and
            // transmission-create adds "encoding", which we do not keep.
            Assert.Equal(await File.ReadAllBytesAsync(torrentPath), await File.ReadAllBytesAsync(written));
        }
        var reparsed = await Libtorrent.InfoAsync(written);

        // The info dictionary is kept byte for byte, so both info-hashes are reproduced...
        Assert.Equal(original.InfoHashV1, reparsed.InfoHashV1);
        Assert.Equal(original.InfoHashV2, reparsed.InfoHashV2);
        Assert.Equal(original.InfoKeys, reparsed.InfoKeys);
        // ...and what lives outside it survives the trip too (piece layers, or libtorrent would refuse a v2 file).
        Assert.Equal(original.Files, reparsed.Files);
        Assert.Equal(original.Trackers, reparsed.Trackers);
        Assert.Equal(original.WebSeeds, reparsed.WebSeeds);
        Assert.Equal(original.Comment, reparsed.Comment);
        Assert.Equal(original.Creator, reparsed.Creator);
        Assert.Equal(original.CreationDate, reparsed.CreationDate);
        Assert.Equal(original.Private, reparsed.Private);
        Assert.Equal(original.TopKeys.Contains("piece layers"), reparsed.TopKeys.Contains("piece layers"));

        // And our parser reads its own output back to the same torrent, piece layers included.
        var ownAgain = TorrentInfo.Load(written);
        AssertSame(reparsed, ownAgain);
        Assert.Equal(ours.HasPieceLayers, ownAgain.HasPieceLayers);
        Assert.Equal(ours.HasV2, ours.HasPieceLayers);
    }

    /// <summary>
    /// Names legal on Linux but not on every platform Godot exports to. Debatable, so pinned here:
    /// libtorrent 2.0.8 on Linux keeps them as written (device names, ':', '?', '*', '&lt;', '&gt;',
    /// '|', '"', trailing dots and spaces), except that it silently drops a backslash. We keep
    /// the name as written in <see cref="FileEntry.OriginalPath"/> (display only) and make
    /// <see cref="FileEntry.Path"/> portable (a torrent's paths must be safe on every
    /// platform): reserved characters become '_', trailing dots and spaces go, device names get a
    /// '_' prefix. Sizes, offsets, hashes and everything else still match libtorrent.
    /// </summary>
    [Theory]
    [InlineData(LtVersion.V1)]
    [InlineData(LtVersion.Hybrid)]
    public async Task Names_unsafe_on_other_platforms_are_kept_as_written_in_OriginalPath_and_sanitised_in_Path(LtVersion version)
    {
        (string Raw, string LibtorrentPath, string OurPath)[] names =
        [
            ("CON.txt", "CON.txt", "_CON.txt"),
            ("a:b.txt", "a:b.txt", "a_b.txt"),
            ("back\\slash.txt", "backslash.txt", "back_slash.txt"),
            ("star*<>|\".txt", "star*<>|\".txt", "star_____.txt"),
            ("trailing dot.", "trailing dot.", "trailing dot"),
            ("trailing space ", "trailing space ", "trailing space"),
            ("what?.txt", "what?.txt", "what_.txt"),
        ];
        var folder = _data.CreateFolder("unsafe", Seed, names.Select((n, i) => new TestFile(n.Raw, 1000 + i)));
        var torrentPath = _data.PathOf("unsafe.torrent");
        await Libtorrent.CreateAsync(new LtCreateOptions(folder, torrentPath) { PieceSize = 16384, Version = version });

        var lt = await Libtorrent.InfoAsync(torrentPath);
        var ours = TorrentInfo.Load(torrentPath);
        var ltReal = lt.RealFiles.ToList();
        var ourReal = ours.Files.Where(f => !f.IsPad).ToList();

        // Both tools use the same order (the torrent's), so the lists line up entry by entry.
        var byRaw = names.ToDictionary(n => "unsafe/" + n.Raw);
        Assert.Equal(names.Length, ourReal.Count);
        for (var i = 0; i < ourReal.Count; i++)
        {
            var expected = byRaw[ourReal[i].OriginalPath];
            Assert.Equal("unsafe/" + expected.LibtorrentPath, ltReal[i].Path);
            Assert.Equal("unsafe/" + expected.OurPath, ourReal[i].Path);
            Assert.Equal(ltReal[i].Size, ourReal[i].Length);
            Assert.Equal(ltReal[i].Offset, ourReal[i].Offset);
        }

        Assert.Equal(lt.InfoHashV1, ours.InfoHashes.V1?.ToHex());
        Assert.Equal(lt.InfoHashV2, ours.InfoHashes.V2?.ToHex());
        Assert.Equal(lt.NumPieces, ours.PieceCount);
    }

    /// <summary>Compares our parse with libtorrent's `info` of the same file.</summary>
    internal static void AssertSame(LtTorrentInfo lt, TorrentInfo ours)
    {
        Assert.Equal(lt.Name, ours.OriginalName);
        Assert.Equal(lt.Name, ours.Name);
        Assert.Equal(lt.MultiFile, ours.IsMultiFile);
        Assert.Equal(lt.InfoHashV1, ours.InfoHashes.V1?.ToHex());
        Assert.Equal(lt.InfoHashV2, ours.InfoHashes.V2?.ToHex());
        Assert.Equal(lt.InfoHashV1 is not null, ours.HasV1);
        Assert.Equal(lt.InfoHashV2 is not null, ours.HasV2);
        Assert.Equal(lt.PieceLength, ours.PieceLength);
        Assert.Equal(lt.NumPieces, ours.PieceCount);

        // Real files, in the torrent's order. libtorrent lists implicit ".pad" entries for v2-only
        // torrents (its in-memory alignment of each file to a piece, not entries of the file) and
        // counts them in total_size; we list only the files the torrent has and give each its
        // aligned offset. So real files are compared, and total size is the sum of real files.
        var ltReal = lt.RealFiles.ToList();
        var ourReal = ours.Files.Where(f => !f.IsPad).ToList();
        Assert.Equal(ltReal.Select(Describe), ourReal.Select(Describe));
        Assert.Equal(ltReal.Sum(f => f.Size), ours.TotalSize);

        if (ours.HasV1)
        {
            // v1 and hybrid: pad files are real entries of the "files" list; both sides must list
            // the same ones (hybrid pads each file to a piece, the last one included). The piece
            // space then ends where libtorrent's total size does.
            Assert.Equal(lt.Files.Where(f => f.Pad).Select(Describe), ours.Files.Where(f => f.IsPad).Select(Describe));
            Assert.Equal(lt.TotalSize, ours.PieceSpaceSize);
        }
        else
        {
            Assert.DoesNotContain(ours.Files, f => f.IsPad);
        }

        Assert.Equal(lt.Trackers, ours.Trackers.SelectMany((tier, index) => tier.Select(url => new TrackerEntry(url, index))));
        Assert.Equal(lt.WebSeeds, ours.WebSeeds);
        Assert.Equal(lt.Private, ours.IsPrivate);
        Assert.Equal(lt.Comment, ours.Comment);
        Assert.Equal(lt.Creator, ours.CreatedBy);
        Assert.Equal(lt.CreationDate, ours.CreationDate?.ToUnixTimeSeconds());
    }

    private static string Describe(LtFileEntry f) =>
        string.Create(CultureInfo.InvariantCulture, $"{f.Path} size={f.Size} offset={f.Offset} root={f.Root ?? "-"}");

    // Our sanitised Path is compared: for these names it must equal the original (libtorrent keeps
    // them as written too); OriginalPath must equal it as well.
    private static string Describe(FileEntry f)
    {
        Assert.Equal(f.OriginalPath, f.Path);
        var root = f.PiecesRoot.IsEmpty ? "-" : Convert.ToHexString(f.PiecesRoot.Span).ToLowerInvariant();
        return string.Create(CultureInfo.InvariantCulture, $"{f.Path} size={f.Length} offset={f.Offset} root={root}");
    }

    /// <summary>libtorrent's view matches the content we made (so the comparison above is not vacuous).</summary>
    private static void AssertExpectedContent(ParseCase c, LtTorrentInfo lt)
    {
        var expected = c.Layout switch
        {
            Layout.Single => new Dictionary<string, long> { [SingleName] = SingleSize },
            Layout.Nested => TestData.NestedLayout.ToDictionary(f => "content/" + f.Path, f => f.Size),
            _ => OddLayout.ToDictionary(f => OddFolder + "/" + f.Path, f => f.Size),
        };
        if (c.Tool == Tool.Transmission)
        {
            // transmission-create leaves empty files and hidden (dot) files out.
            expected = expected.Where(kv => kv.Value > 0 && !kv.Key.Split('/')[^1].StartsWith('.')).ToDictionary();
        }

        Assert.Equal(expected, lt.RealFiles.ToDictionary(f => f.Path, f => f.Size));
        Assert.Equal(c.PieceSize, lt.PieceLength);
        Assert.Equal(c.Private, lt.Private);
        Assert.Equal(c.Version == LtVersion.V2 ? null : "v1", lt.InfoHashV1 is null ? null : "v1");
        Assert.Equal(c.Version == LtVersion.V1 ? null : "v2", lt.InfoHashV2 is null ? null : "v2");
        Assert.NotEmpty(lt.Trackers);
        Assert.NotNull(lt.Comment);
        Assert.NotNull(lt.CreationDate);
    }

    private async Task<string> CreateAsync(ParseCase c)
    {
        var content = c.Layout switch
        {
            Layout.Single => _data.CreateFile(SingleName, SingleSize, Seed),
            Layout.Nested => _data.CreateNestedFolder("content", Seed),
            _ => _data.CreateFolder(OddFolder, Seed, OddLayout),
        };
        var output = _data.PathOf("made.torrent");
        switch (c.Tool)
        {
            case Tool.Libtorrent:
                // Two trackers sharing tier 0, a third in tier 1; libtorrent's default creation date.
                await Libtorrent.CreateAsync(new LtCreateOptions(content, output)
                {
                    PieceSize = c.PieceSize,
                    Version = c.Version,
                    Trackers = [new(Tracker1, 0), new(Tracker2, 0), new(Tracker3, 1)],
                    WebSeeds = [WebSeed, "http://127.0.0.1:8081/mirror"],
                    Private = c.Private,
                    Comment = Comment,
                    Creator = Creator,
                });
                break;
            case Tool.MkTorrent:
                await MkTorrent.CreateAsync(new MkTorrentOptions(content, output)
                {
                    PieceLengthExponent = BitOperations.Log2((uint)c.PieceSize),
                    TrackerTiers = [[Tracker1, Tracker2], [Tracker3]],
                    WebSeeds = [WebSeed],
                    Private = c.Private,
                    Comment = Comment,
                });
                break;
            default:
                await TransmissionCreate.CreateAsync(new TransmissionCreateOptions(content, output)
                {
                    Trackers = [Tracker1, Tracker3],
                    PieceSizeKiB = c.PieceSize / 1024,
                    Private = c.Private,
                    Comment = Comment,
                });
                break;
        }

        return output;
    }

    private static Dictionary<string, ParseCase> BuildCases()
    {
        var cases = new List<ParseCase>();
        foreach (var version in new[] { LtVersion.V1, LtVersion.V2, LtVersion.Hybrid })
        {
            // 16 KiB (the v2 minimum, many pieces per file), 32 KiB, and 256 KiB: larger than the
            // whole content (~156 KB nested, ~75 KB odd, 50 KB single).
            cases.Add(new(Tool.Libtorrent, version, Layout.Nested, 16384, Private: false));
            cases.Add(new(Tool.Libtorrent, version, Layout.Nested, 32768, Private: true));
            cases.Add(new(Tool.Libtorrent, version, Layout.Nested, 262144, Private: false));
            cases.Add(new(Tool.Libtorrent, version, Layout.Odd, 16384, Private: true));
            cases.Add(new(Tool.Libtorrent, version, Layout.Odd, 262144, Private: false));
            cases.Add(new(Tool.Libtorrent, version, Layout.Single, 16384, Private: false));
            cases.Add(new(Tool.Libtorrent, version, Layout.Single, 262144, Private: true));
        }

        foreach (var tool in new[] { Tool.MkTorrent, Tool.Transmission })
        {
            // mktorrent's smallest piece is 32 KiB (-l 15).
            cases.Add(new(tool, LtVersion.V1, Layout.Nested, 32768, Private: false));
            cases.Add(new(tool, LtVersion.V1, Layout.Odd, 32768, Private: true));
            cases.Add(new(tool, LtVersion.V1, Layout.Odd, 262144, Private: false));
            cases.Add(new(tool, LtVersion.V1, Layout.Single, 32768, Private: true));
            cases.Add(new(tool, LtVersion.V1, Layout.Single, 262144, Private: false));
        }

        return cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    /// <summary>One torrent to make: which tool, which format, what content, piece size, private flag.</summary>
    public sealed record ParseCase(Tool Tool, LtVersion Version, Layout Layout, int PieceSize, bool Private)
    {
        public string Id => string.Create(CultureInfo.InvariantCulture, $"{Tool}-{Version}-{Layout}-{PieceSize / 1024}k{(Private ? "-private" : string.Empty)}");
    }
}
