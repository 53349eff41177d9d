using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Cli;

public sealed class CreateCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public CreateCommandTests()
    {
        _temp.WriteFile("data/a.bin", CliContent(100_000, 1));
        _temp.WriteFile("data/sub/b.bin", CliContent(7_000, 2));
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("--v1", TorrentVersion.V1)]
    [InlineData("--v2", TorrentVersion.V2)]
    [InlineData("--hybrid", TorrentVersion.Hybrid)]
    [InlineData(null, TorrentVersion.Hybrid)]
    public async Task Create_then_info_json_describes_the_torrent_that_was_written(string? versionFlag, TorrentVersion expected)
    {
        string output = _temp.Combine("data.torrent");
        string[] args =
        [
            "create", _temp.Combine("data"), "-o", output,
            "--tracker", "http://t1.example/announce,http://t2.example/announce",
            "--tracker", "udp://t3.example:6969",
            "--web-seed", "https://ws.example/files/",
            "--piece-size", "32K", "--private", "--comment", "made by a test", "--source", "TEST",
            .. versionFlag is null ? Array.Empty<string>() : [versionFlag],
        ];

        var create = await CliRunner.RunAsync(args);

        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Equal("", create.Error);
        var torrent = TorrentInfo.Load(output);
        Assert.Equal(expected, torrent.Version);
        Assert.Equal(32 * 1024, torrent.PieceLength);
        Assert.True(torrent.IsPrivate);
        Assert.Equal("made by a test", torrent.Comment);
        Assert.Equal("TEST", torrent.Source);
        Assert.NotNull(torrent.CreationDate);
        Assert.Equal(
            [["http://t1.example/announce", "http://t2.example/announce"], ["udp://t3.example:6969"]],
            torrent.Trackers.Select(t => t.ToArray()).ToArray());
        Assert.Equal(["https://ws.example/files/"], torrent.WebSeeds);
        Assert.Equal(107_000, torrent.TotalSize);
        Assert.Contains($"Created {output}", create.Out, StringComparison.Ordinal);
        Assert.Contains(torrent.InfoHashes.Primary.ToHex(), create.Out, StringComparison.Ordinal);

        var info = await CliRunner.RunAsync("info", output, "--json");

        Assert.True(info.ExitCode == 0, info.ToString());
        JsonTorrentAssert.Matches(torrent, info.Out);
    }

    [Fact]
    public async Task Magnet_of_a_created_torrent_parses_with_MagnetLink()
    {
        string output = _temp.Combine("data.torrent");
        Assert.Equal(0, (await CliRunner.RunAsync("create", _temp.Combine("data"), "-o", output, "-t", "http://t.example/a")).ExitCode);

        var result = await CliRunner.RunAsync("magnet", output);

        Assert.Equal(0, result.ExitCode);
        var magnet = MagnetLink.Parse(result.Out.Trim());
        var torrent = TorrentInfo.Load(output);
        Assert.True(magnet.InfoHashes.IsHybrid);
        Assert.Equal(torrent.InfoHashes, magnet.InfoHashes);
        Assert.Equal("data", magnet.DisplayName);
        Assert.Equal(["http://t.example/a"], magnet.Trackers);
    }

    [Fact]
    public async Task No_date_gives_the_same_bytes_every_time()
    {
        string first = _temp.Combine("1.torrent"), second = _temp.Combine("2.torrent");

        Assert.Equal(0, (await CliRunner.RunAsync("create", _temp.Combine("data"), "-o", first, "--no-date")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("create", _temp.Combine("data"), "-o", second, "--no-date")).ExitCode);

        Assert.Null(TorrentInfo.Load(first).CreationDate);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public async Task A_single_file_makes_a_single_file_torrent_and_name_renames_it()
    {
        string output = _temp.Combine("a.torrent");

        var result = await CliRunner.RunAsync("create", _temp.Combine("data", "a.bin"), "-o", output, "--name", "renamed.bin");

        Assert.True(result.ExitCode == 0, result.ToString());
        var torrent = TorrentInfo.Load(output);
        Assert.False(torrent.IsMultiFile);
        Assert.Equal("renamed.bin", torrent.Name);
    }

    [Fact]
    public async Task An_existing_output_is_kept_unless_forced()
    {
        string output = _temp.WriteFile("data.torrent", "keep me"u8.ToArray());

        var refused = await CliRunner.RunAsync("create", _temp.Combine("data"), "-o", output);

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal([$"gdtorrent: error: {output}: already exists (add --force to replace it)"], refused.ErrorLines);
        Assert.Equal("keep me"u8.ToArray(), File.ReadAllBytes(output));

        var forced = await CliRunner.RunAsync("create", _temp.Combine("data"), "-o", output, "--force");

        Assert.Equal(0, forced.ExitCode);
        Assert.True(TorrentInfo.TryParse(File.ReadAllBytes(output), out _));
    }

    [Fact]
    public async Task A_missing_source_fails_with_one_error_line()
    {
        string missing = _temp.Combine("nothing-here");

        var result = await CliRunner.RunAsync("create", missing, "-o", _temp.Combine("x.torrent"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"gdtorrent: error: {missing}: no such file or folder"], result.ErrorLines);
        Assert.False(File.Exists(_temp.Combine("x.torrent")));
    }

    [Fact]
    public async Task An_output_in_a_missing_folder_fails_with_one_error_line()
    {
        string output = _temp.Combine("no", "such", "x.torrent");

        var result = await CliRunner.RunAsync("create", _temp.Combine("data"), "-o", output);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"gdtorrent: error: {output}: the folder ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_folder_fails_with_one_error_line_and_verbose_shows_the_stack_trace()
    {
        Directory.CreateDirectory(_temp.Combine("empty"));

        var quiet = await CliRunner.RunAsync("create", _temp.Combine("empty"), "-o", _temp.Combine("x.torrent"));
        var verbose = await CliRunner.RunAsync("create", _temp.Combine("empty"), "-o", _temp.Combine("x.torrent"), "--verbose");

        Assert.Equal(1, quiet.ExitCode);
        Assert.StartsWith("gdtorrent: error: ", Assert.Single(quiet.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(1, verbose.ExitCode);
        Assert.Equal(quiet.ErrorLines[0], verbose.ErrorLines[0]);
        Assert.Contains("GodotTorrent.TorrentException", verbose.Error, StringComparison.Ordinal);
        Assert.Contains("   at GodotTorrent.Metainfo.TorrentCreator", verbose.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--v1 --v2")]
    [InlineData("--v2 --hybrid")]
    [InlineData("--v1 --v2 --hybrid")]
    [InlineData("--piece-size 1000")]
    [InlineData("--piece-size 8K")]
    [InlineData("--piece-size 256M")]
    [InlineData("--piece-size lots")]
    [InlineData("--tracker not-a-url")]
    [InlineData("--tracker http://ok.example/a,ftp://no.example/b")]
    [InlineData("--web-seed udp://no.example/")]
    [InlineData("--frobnicate")]
    public async Task Bad_options_are_usage_errors(string options)
    {
        string output = _temp.Combine("x.torrent");

        var result = await CliRunner.RunAsync(["create", _temp.Combine("data"), "-o", output, .. options.Split(' ')]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("gdtorrent: usage error: ", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Equal("Run 'gdtorrent create --help' for usage.", result.ErrorLines[^1]);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task The_output_option_is_required()
    {
        var result = await CliRunner.RunAsync("create", _temp.Combine("data"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--output", result.ErrorLines[0], StringComparison.Ordinal);
    }

    private static byte[] CliContent(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
