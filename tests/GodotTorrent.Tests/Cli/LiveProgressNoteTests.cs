using GodotTorrent.Cli;
using GodotTorrent.Cli.Output;

namespace GodotTorrent.Tests.Cli;

/// <summary>A note written while the progress bars are on a terminal: whole, above the bars, with nothing of an old bar left in it.</summary>
public sealed class LiveProgressNoteTests
{
    // Wider than 80 columns: it wraps onto a second row, where the bar was drawn.
    private const string Note = "patch-1.2: tracker http://127.0.0.1:1/announce: The tracker could not be reached: Connection refused (127.0.0.1:1)";

    [Fact]
    public async Task A_note_that_wraps_leaves_nothing_of_the_bar_it_was_written_over()
    {
        using var output = new StringWriter { NewLine = "\n" };
        var console = new CliConsole(TextWriter.Null, output, errorIsTerminal: true, width: 80);

        await LiveProgress.RunAsync(console, ["patch-1.2"], rows =>
        {
            rows.Update(0, 0.25, "10 MiB/40 MiB  dn 0 B/s  up 0 B/s  0 peers  downloading");
            rows.Note(Note);
            rows.Update(0, 0.5, "20 MiB/40 MiB  dn 0 B/s  up 0 B/s  0 peers  downloading");
            return Task.FromResult(0);
        });

        string[] screen = VirtualTerminal.Replay(output.ToString(), 80);
        Assert.Equal(Note, string.Join(" ", screen.TakeWhile(r => !r.StartsWith("patch-1.2 ━", StringComparison.Ordinal))));
        string bar = Assert.Single(screen, r => r.Contains("peers", StringComparison.Ordinal));
        Assert.Equal(screen[^1], bar);
        Assert.Contains("20 MiB/40 MiB", bar, StringComparison.Ordinal);
    }
}
