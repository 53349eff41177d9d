namespace GodotTorrent.Tests.Cli;

/// <summary>0 on success, 1 on failure with one error line (stack trace only with --verbose), 2 on bad usage.</summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("info")]
    [InlineData("magnet")]
    public async Task A_missing_file_fails_with_one_error_line(string command)
    {
        string missing = _temp.Combine("nope.torrent");

        var result = await CliRunner.RunAsync(command, missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal([$"gdtorrent: error: {missing}: no such file"], result.ErrorLines);
    }

    [Theory]
    [InlineData("info")]
    [InlineData("magnet")]
    public async Task A_malformed_torrent_fails_with_one_error_line(string command)
    {
        string path = _temp.WriteFile("bad.torrent", "d4:infoi1ee"u8.ToArray());

        var result = await CliRunner.RunAsync(command, path);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"gdtorrent: error: {path}: not a valid torrent: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistyped_option_after_a_source_is_a_usage_error_not_a_missing_file()
    {
        // download takes several sources, so the parser hands it "--max-download" as one of them.
        string torrent = _temp.WriteFile("multi.torrent", CliTorrents.MultiFile());
        var result = await CliRunner.RunAsync("download", torrent, "--max-download", "--out", _temp.Combine("out"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.ErrorLines, line => line.Contains("unknown option --max-download", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_folder_is_not_a_torrent()
    {
        var result = await CliRunner.RunAsync("info", _temp.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"gdtorrent: error: {_temp.Path}: is a folder, not a .torrent file"], result.ErrorLines);
    }

    [Fact]
    public async Task A_malformed_magnet_fails_with_one_error_line()
    {
        var result = await CliRunner.RunAsync("info", "magnet:?xt=urn:btih:xyz");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("gdtorrent: error: not a valid magnet link: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--verbose")]
    [InlineData("-v")]
    public async Task Verbose_adds_the_stack_trace(string flag)
    {
        string path = _temp.WriteFile("bad.torrent", "garbage"u8.ToArray());

        var quiet = await CliRunner.RunAsync("info", path);
        var verbose = await CliRunner.RunAsync("info", path, flag);

        Assert.Equal(1, verbose.ExitCode);
        Assert.DoesNotContain("   at ", quiet.Error, StringComparison.Ordinal);
        Assert.Equal(quiet.ErrorLines[0], verbose.ErrorLines[0]);
        Assert.Contains("   at GodotTorrent.", verbose.Error, StringComparison.Ordinal);
        Assert.Contains("---> GodotTorrent.Bencoding.BencodeException", verbose.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_may_come_before_the_command()
    {
        string path = _temp.WriteFile("bad.torrent", "garbage"u8.ToArray());

        var result = await CliRunner.RunAsync("--verbose", "magnet", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("frobnicate")]
    [InlineData("info")]
    [InlineData("magnet")]
    [InlineData("info a.torrent --bogus")]
    [InlineData("info a.torrent b.torrent")]
    [InlineData("magnet a.torrent --json")]
    public async Task Bad_usage_exits_with_2_and_a_usage_error_on_stderr(string args)
    {
        var result = await CliRunner.RunAsync(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Out);
        Assert.StartsWith("gdtorrent: usage error: ", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Matches("^Run 'gdtorrent( [a-z]+)? --help' for usage\\.$", result.ErrorLines[^1]);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("info --help")]
    [InlineData("magnet -h")]
    public async Task Help_goes_to_stdout_and_exits_with_0(string args)
    {
        var result = await CliRunner.RunAsync(args.Split(' '));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task A_mistyped_command_names_the_closest_command_in_one_line()
    {
        var result = await CliRunner.RunAsync("downlaod", "x.torrent");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            ["gdtorrent: usage error: 'downlaod' is not a gdtorrent command; did you mean 'download'?", "Run 'gdtorrent --help' for usage."],
            result.ErrorLines);
    }

    [Fact]
    public async Task A_word_far_from_every_command_is_not_given_a_guess()
    {
        var result = await CliRunner.RunAsync("frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("gdtorrent: usage error: 'frobnicate' is not a gdtorrent command.", result.ErrorLines[0]);
    }

    [Fact]
    public async Task A_value_of_the_wrong_kind_says_what_kind_was_wanted_not_a_dotnet_type()
    {
        string torrent = _temp.WriteFile("multi.torrent", CliTorrents.MultiFile());
        var result = await CliRunner.RunAsync("stream", torrent, "--file", "abc", "--out", _temp.Combine("out"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("gdtorrent: usage error: --file 'abc' is not a whole number.", result.ErrorLines);
        Assert.DoesNotContain(result.ErrorLines, line => line.Contains("System.", StringComparison.Ordinal));
    }
}
