using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Interop;

/// <summary>
/// TorrentCreator against libtorrent 2.0 create_torrent (through lt_tool.py) and mktorrent 1.1:
/// same folder, piece length, trackers, web seeds, comment and creator, no date.
/// </summary>
public sealed class CreatorInteropTests : IDisposable
{
    private const int Seed = 4321;
    private const string Creator = "Godot-Torrent interop";
    private const string Tracker1 = "http://127.0.0.1:6969/announce";
    private const string Tracker2 = "udp://127.0.0.1:6970";
    private const string Tracker3 = "http://127.0.0.1:6971/announce";
    private const string WebSeed = "http://127.0.0.1:8080/files/";

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    public static TheoryData<TorrentVersion, int> VersionsAndPieces => new()
    {
        { TorrentVersion.V1, 16384 },
        { TorrentVersion.V1, 32768 },
        { TorrentVersion.V2, 16384 },
        { TorrentVersion.V2, 65536 },
        { TorrentVersion.Hybrid, 16384 },
        { TorrentVersion.Hybrid, 32768 },
    };

    [Theory]
    [MemberData(nameof(VersionsAndPieces))]
    public async Task Folder_with_nested_dirs_and_an_empty_file_is_byte_identical_to_libtorrent(TorrentVersion version, int pieceLength)
    {
        // NestedLayout has an empty file, names whose byte order differs from tree order, and
        // sizes both on and off piece boundaries: none of it breaks agreement in any version.
        var folder = _data.CreateNestedFolder("content", Seed);
        var ours = await TorrentCreator.CreateAsync(folder, Options(version, pieceLength));
        var ltPath = _data.PathOf("lt.torrent");
        var lt = await Libtorrent.CreateAsync(LtOptions(folder, ltPath, version, pieceLength));

        Assert.Equal(lt.InfoHashV1, ours.InfoHashes.V1?.ToHex());
        Assert.Equal(lt.InfoHashV2, ours.InfoHashes.V2?.ToHex());
        Assert.Equal(await File.ReadAllBytesAsync(ltPath), ours.ToBytes());
    }

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Single_file_is_byte_identical_to_libtorrent(TorrentVersion version)
    {
        var file = _data.CreateFile("movie.bin", 200_001, Seed);
        var ours = await TorrentCreator.CreateAsync(file, Options(version, 32768) with { Trackers = [[Tracker1]], WebSeeds = [WebSeed, WebSeed + "2/"], IsPrivate = true });
        var ltPath = _data.PathOf("lt.torrent");
        await Libtorrent.CreateAsync(LtOptions(file, ltPath, version, 32768) with
        {
            Trackers = [new(Tracker1, 0)],
            WebSeeds = [WebSeed, WebSeed + "2/"],
            Private = true,
        });

        Assert.Equal(await File.ReadAllBytesAsync(ltPath), ours.ToBytes());
    }

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Folder_holding_one_file_is_byte_identical_to_libtorrent(TorrentVersion version)
    {
        var folder = _data.CreateFolder("one", Seed, [new TestFile("only.bin", 40_000)]);
        var ours = await TorrentCreator.CreateAsync(folder, Options(version, 16384));
        var ltPath = _data.PathOf("lt.torrent");
        await Libtorrent.CreateAsync(LtOptions(folder, ltPath, version, 16384));

        Assert.Equal(await File.ReadAllBytesAsync(ltPath), ours.ToBytes());
    }

    [Fact]
    public async Task V1_info_hash_equals_mktorrent_and_the_whole_file_too_with_its_creator()
    {
        var folder = _data.CreateNestedFolder("content", Seed);
        var ours = await TorrentCreator.CreateAsync(folder, Options(TorrentVersion.V1, 32768) with { CreatedBy = MkTorrent.CreatedBy });
        var mkPath = await MkTorrent.CreateAsync(new MkTorrentOptions(folder, _data.PathOf("mk.torrent"))
        {
            PieceLengthExponent = 15,
            TrackerTiers = [[Tracker1, Tracker2], [Tracker3]],
            WebSeeds = [WebSeed],
            Comment = "made for the interop tests",
            NoDate = true,
        });
        var mk = await Libtorrent.InfoAsync(mkPath);

        Assert.Equal(mk.InfoHashV1, ours.InfoHashes.V1!.ToHex());
        Assert.Equal(await File.ReadAllBytesAsync(mkPath), ours.ToBytes());
    }

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Libtorrent_rechecks_our_torrent_as_complete(TorrentVersion version)
    {
        var folder = _data.CreateNestedFolder("content", Seed);
        var torrentPath = _data.PathOf("ours.torrent");
        await TorrentCreator.CreateFileAsync(folder, torrentPath, Options(version, 16384));

        var result = await Libtorrent.RecheckAsync(torrentPath, _data.Root);

        Assert.Equal(new string('1', result.NumPieces), result.Pieces);
    }

    private static TorrentCreatorOptions Options(TorrentVersion version, int pieceLength) => new()
    {
        Version = version,
        PieceLength = pieceLength,
        Trackers = [[Tracker1, Tracker2], [Tracker3]],
        WebSeeds = [WebSeed],
        Comment = "made for the interop tests",
        CreatedBy = Creator,
        MaxDegreeOfParallelism = 2,
    };

    private static LtCreateOptions LtOptions(string path, string output, TorrentVersion version, int pieceLength) => new(path, output)
    {
        Version = version switch
        {
            TorrentVersion.V1 => LtVersion.V1,
            TorrentVersion.V2 => LtVersion.V2,
            _ => LtVersion.Hybrid,
        },
        PieceSize = pieceLength,
        Trackers = [new(Tracker1, 0), new(Tracker2, 0), new(Tracker3, 1)],
        WebSeeds = [WebSeed],
        Comment = "made for the interop tests",
        Creator = Creator,
        NoDate = true,
    };
}
