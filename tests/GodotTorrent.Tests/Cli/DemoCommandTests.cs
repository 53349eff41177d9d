using System.Text.RegularExpressions;

namespace GodotTorrent.Tests.Cli;

public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task Demo_swarm_downloads_verifies_and_leaves_nothing_behind()
    {
        var result = await CliRunner.RunAsync("demo", "--size", "4", "--leechers", "2", "--timeout", "120");

        Assert.True(result.ExitCode == 0, result.ToString());
        string folder = WorkingFolder().Match(result.Out).Groups[1].Value;
        Assert.StartsWith(Path.GetTempPath(), folder, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder), $"{folder} was left behind");
        Assert.Contains($"Removed {folder}", result.Out, StringComparison.Ordinal);

        Assert.Contains("Size:          4 MiB (", result.Out, StringComparison.Ordinal);
        Assert.Contains("leecher 1: 5 files, SHA-256 identical to the source", result.Out, StringComparison.Ordinal);
        Assert.Contains("leecher 2: 5 files, SHA-256 identical to the source", result.Out, StringComparison.Ordinal);
        Assert.Contains("Verified: every file of all 2 leecher(s) matches the source (SHA-256)", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"Throughput: 8 MiB delivered to 2 leecher\(s\) in [0-9.]+ s = [0-9.]+ MB/s", result.Out);
        // Not a terminal: progress is plain lines on stderr, each leecher's last at 100%.
        Assert.Matches(@"leecher 2\s+100\.0%", result.Error);
    }

    [Theory]
    [InlineData("forced")]
    [InlineData("disabled")]
    public async Task Demo_with_an_encryption_policy_uses_it_on_every_connection(string policy)
    {
        var result = await CliRunner.RunAsync("demo", "--size", "2", "--leechers", "2", "--timeout", "120", "--encryption", policy);

        Assert.True(result.ExitCode == 0, result.ToString());
        var connections = Connections().Match(result.Out);
        Assert.True(connections.Success, result.Out);
        int accepted = int.Parse(connections.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int encrypted = int.Parse(connections.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accepted >= 4, result.Out);
        Assert.Equal(policy == "forced" ? accepted : 0, encrypted);
        Assert.Contains("Verified: every file of all 2 leecher(s) matches the source (SHA-256)", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--encryption maybe")]
    [InlineData("--size 0")]
    [InlineData("--size -5")]
    [InlineData("--size big")]
    [InlineData("--leechers 0")]
    [InlineData("--leechers -1")]
    public async Task Bad_demo_options_are_usage_errors(string options)
    {
        var result = await CliRunner.RunAsync(["demo", .. options.Split(' ')]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Out);
    }

    [GeneratedRegex(@"^Connection ends: (\d+) \(each connection counts at both peers\), (\d+) of them encrypted", RegexOptions.Multiline)]
    private static partial Regex Connections();

    [GeneratedRegex("^Working folder: (.+)$", RegexOptions.Multiline)]
    private static partial Regex WorkingFolder();
}
