using System.Text.RegularExpressions;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Cli;

public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task Demo_creates_shows_and_checks_a_torrent_then_leaves_nothing_behind()
    {
        var result = await CliRunner.RunAsync("demo", "--size", "1", "--leechers", "3");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        string folder = WorkingFolder().Match(result.Out).Groups[1].Value;
        Assert.StartsWith(Path.GetTempPath(), folder, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder), $"{folder} was left behind");
        Assert.Contains($"Removed {folder}", result.Out, StringComparison.Ordinal);

        Assert.Contains("Version:       hybrid (v1 + v2)", result.Out, StringComparison.Ordinal);
        Assert.Contains("Size:          1 MiB (", result.Out, StringComparison.Ordinal);
        string magnetLine = result.Out.Split('\n').Single(l => l.StartsWith("magnet:?", StringComparison.Ordinal));
        var magnet = MagnetLink.Parse(magnetLine);
        Assert.True(magnet.InfoHashes.IsHybrid);
        Assert.Contains($"Info-hash v1:  {magnet.InfoHashes.V1!.ToHex()}", result.Out, StringComparison.Ordinal);
        Assert.Contains($"Info-hash v2:  {magnet.InfoHashes.V2!.ToHex()}", result.Out, StringComparison.Ordinal);
        Assert.Contains("Check: the .torrent file and the magnet link parse back to the same info-hashes", result.Out, StringComparison.Ordinal);
        Assert.Contains("3 leecher(s)", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--size 0")]
    [InlineData("--size -5")]
    [InlineData("--size big")]
    [InlineData("--leechers -1")]
    public async Task Bad_demo_options_are_usage_errors(string options)
    {
        var result = await CliRunner.RunAsync(["demo", .. options.Split(' ')]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Help_says_leechers_is_not_used_yet()
    {
        var result = await CliRunner.RunAsync("demo", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("not used yet", result.Out, StringComparison.Ordinal);
    }

    [GeneratedRegex("^Working folder: (.+)$", RegexOptions.Multiline)]
    private static partial Regex WorkingFolder();
}
