using GodotTorrent.Bencoding;
using GodotTorrent.Cli.Output;
using GodotTorrent.Tests.Metainfo;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// A hostile torrent or magnet link cannot drive the terminal: escape sequences in its name,
/// comment, trackers or web seeds are printed as '?' instead of being obeyed.
/// </summary>
public sealed class ControlCharacterOutputTests : IDisposable
{
    // Clears the screen, then sets the window title: what a terminal would do with it raw.
    private const string Hostile = "\u001b[2J\u001b]0;PWN\u0007";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Info_prints_no_control_character_from_a_torrents_text_fields()
    {
        byte[] torrent = TorrentFiles.Torrent(
            TorrentFiles.MultiFileInfo("sample", [(["a.bin"], 40_000)], pieceLength: 16384),
            root =>
            {
                root.Set("announce", new BString("http://t.example/" + Hostile));
                root.Set("url-list", new BList([new BString("http://w.example/" + Hostile)]));
                root.Set("comment", new BString("line one\nline two" + Hostile));
                root.Set("created by", new BString("maker" + Hostile));
            });
        string path = _temp.WriteFile("hostile.torrent", torrent);

        var result = await CliRunner.RunAsync("info", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertNoControlCharacters(result.Out);
        string[] lines = result.Out.Split('\n');
        Assert.Contains("Comment:       line one line two?[2J?]0;PWN?", lines);
        Assert.Contains("Trackers:      tier 1  http://t.example/?[2J?]0;PWN?", lines);
        Assert.Contains("Web seeds:     http://w.example/?[2J?]0;PWN?", lines);
    }

    [Fact]
    public async Task Info_prints_a_magnets_display_name_without_its_control_characters()
    {
        var result = await CliRunner.RunAsync("info", "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=%00%1b%5b2J%0a..%2f..%2fx%c2%9b");

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertNoControlCharacters(result.Out);
        Assert.Contains("Name:          ??[2J ../../x?", result.Out.Split('\n'));
    }

    [Fact]
    public async Task Download_of_a_magnet_shows_its_display_name_without_control_characters()
    {
        // Two torrents, so the error line names each one that did not complete.
        string[] args =
        [
            "download", "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=evil%1b%5b2J",
            "magnet:?xt=urn:btih:1123456789abcdef0123456789abcdef01234567&dn=other",
            "--out", _temp.Combine("out"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping", "--timeout", "1",
        ];

        var result = await CliRunner.RunAsync(args);

        Assert.True(result.ExitCode == 1, result.ToString());
        AssertNoControlCharacters(result.Error);
        Assert.Contains(result.ErrorLines, l => l.StartsWith("evil?[2J: timed out", StringComparison.Ordinal));
    }

    [Fact]
    public void Plain_progress_rows_clean_names_and_notes()
    {
        using var output = new StringWriter { NewLine = "\n" };
        var rows = new PlainProgressRows(output, ["name" + Hostile], TimeSpan.FromSeconds(2));

        rows.Update(0, 0.5, "detail");
        rows.Note("name: tracker http://t.example/" + Hostile + ": refused");

        AssertNoControlCharacters(output.ToString());
        Assert.Contains("name: tracker http://t.example/?[2J?]0;PWN?: refused\n", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain text, é and 漢字", "plain text, é and 漢字")]
    [InlineData("a\tb\r\nc", "a b  c")]
    [InlineData("\u0000\u001b\u007f\u0085\u009b", "?????")]
    public void Printable_keeps_text_and_replaces_control_characters(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Printable(text));

    private static void AssertNoControlCharacters(string output) =>
        Assert.DoesNotContain(output, c => char.IsControl(c) && c != '\n' && c != '\r');
}
