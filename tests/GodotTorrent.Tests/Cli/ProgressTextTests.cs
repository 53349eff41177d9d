using GodotTorrent.Cli;
using GodotTorrent.Cli.Output;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary>The progress line: the time left, and a line that fits 80 columns whatever the name and the numbers.</summary>
public sealed class ProgressTextTests
{
    private const string LongName = "Godot Game of the Year Edition - Complete Soundtrack and Assets (lossless, 2026 remaster)";

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(44.2, "45s")]
    [InlineData(65, "1m05s")]
    [InlineData(3600 + 7 * 60, "1h07m")]
    [InlineData(2 * 86_400 + 4 * 3600 + 59, "2d04h")]
    public void Eta_shows_two_units_at_most(double seconds, string expected) =>
        Assert.Equal(expected, ProgressText.Eta(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void The_detail_has_the_eta_while_downloading_and_the_state_otherwise()
    {
        Assert.EndsWith("eta 1m05s", ProgressText.Detail(Big() with { Eta = TimeSpan.FromSeconds(65) }, 200), StringComparison.Ordinal);
        Assert.EndsWith("seeding", ProgressText.Detail(Big() with { State = TorrentState.Seeding, Eta = null }, 200), StringComparison.Ordinal);
    }

    [Fact]
    public void A_narrow_detail_keeps_the_size_and_the_eta_and_drops_the_rest()
    {
        var status = Big();
        string wide = ProgressText.Detail(status, 200);
        string narrow = ProgressText.Detail(status, 30);

        Assert.Contains("up ", wide, StringComparison.Ordinal);
        Assert.True(narrow.Length <= 30, narrow);
        Assert.StartsWith("1023 GiB/1023 GiB", narrow, StringComparison.Ordinal);
        Assert.EndsWith("eta 999d00h", narrow, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_progress_line_fits_80_columns_with_a_long_name_and_big_numbers()
    {
        using var output = new StringWriter();
        var rows = new PlainProgressRows(output, [LongName, "short"], TimeSpan.Zero);

        rows.Update(0, 0.42, ProgressText.Detail(Big(), rows.DetailWidth));
        rows.Update(1, 1, ProgressText.Detail(Big(), rows.DetailWidth));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.StartsWith(LongName[..20], lines[0], StringComparison.Ordinal);
        Assert.Contains("...", lines[0], StringComparison.Ordinal);
        Assert.Contains("eta ", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_terminal_progress_bar_fits_80_columns_with_a_long_name_and_big_numbers()
    {
        using var output = new StringWriter();
        var console = new CliConsole(TextWriter.Null, output, errorIsTerminal: true, width: 80);

        await LiveProgress.RunAsync(console, [LongName, "short"], rows =>
        {
            rows.Update(0, 0.42, ProgressText.Detail(Big(), rows.DetailWidth));
            rows.Update(1, 1, ProgressText.Detail(Big(), rows.DetailWidth));
            rows.Note("pack: tracker http://127.0.0.1:1/announce: refused");
            return Task.FromResult(0);
        });

        // The screen as a terminal too wide to wrap anything shows it, so a row over 80 columns is seen.
        var lines = VirtualTerminal.Replay(output.ToString(), width: 10_000);
        Assert.Contains(lines, l => l.Contains("eta 999d00h", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("pack: tracker http://127.0.0.1:1/announce: refused", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
    }

    private static TorrentStatus Big() => new()
    {
        InfoHashes = new(GodotTorrent.Metainfo.InfoHash.ComputeV1([1]), null),
        Name = LongName,
        State = TorrentState.Downloading,
        SavePath = "/tmp",
        HasMetadata = true,
        Progress = 0.42,
        TotalWanted = 1023L << 30,
        TotalWantedDone = (1023L << 30) - 1,
        DownloadRate = 1023L << 20,
        UploadRate = 1023L << 20,
        PeerCount = 1234,
        WebSeedBytesDownloaded = 1023L << 30,
        Eta = TimeSpan.FromDays(1000),
    };
}
