using GodotTorrent.Cli.Output;

namespace GodotTorrent.Tests.Cli;

/// <summary>The seedbox's live table: notes stay on screen above it, and its redraws never wrap.</summary>
public sealed class LiveLinesTests
{
    [Fact]
    public void Notes_written_between_redraws_stay_above_the_table()
    {
        var output = new StringWriter { NewLine = "\n" };
        var live = new LiveLines(output, 20);

        live.Update(["NAME  SIZE", "a     1 B"]);
        live.Note("Seeding a");
        live.Note("Seeding b");
        live.Update(["NAME  SIZE", "a     1 B", "b     2 B", "2 torrents"]);
        live.Update(["NAME  SIZE", "a     1 B"]);

        Assert.Equal(["Seeding a", "Seeding b", "NAME  SIZE", "a     1 B"], VirtualTerminal.Replay(output.ToString(), 20));
    }

    [Fact]
    public void A_line_wider_than_the_terminal_is_cut_so_it_cannot_wrap()
    {
        var output = new StringWriter { NewLine = "\n" };
        var live = new LiveLines(output, 12);

        live.Update(["a name far too long for it"]);
        live.Update(["short"]);

        Assert.StartsWith("a name f...\n", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["short"], VirtualTerminal.Replay(output.ToString(), 12));
    }

    [Fact]
    public void A_note_with_a_strangers_control_characters_reaches_the_terminal_as_question_marks()
    {
        var output = new StringWriter { NewLine = "\n" };
        var live = new LiveLines(output, 40);

        live.Note("Seeding map\u001b]0;owned\u0007pack");

        Assert.Equal("Seeding map?]0;owned?pack\n", output.ToString());
    }
}
