using System.Text;
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

        Assert.Equal(["Seeding a", "Seeding b", "NAME  SIZE", "a     1 B"], Screen.Replay(output.ToString()));
    }

    [Fact]
    public void A_line_wider_than_the_terminal_is_cut_so_it_cannot_wrap()
    {
        var output = new StringWriter { NewLine = "\n" };
        var live = new LiveLines(output, 12);

        live.Update(["a name far too long for it"]);
        live.Update(["short"]);

        Assert.StartsWith("a name f...\n", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["short"], Screen.Replay(output.ToString()));
    }

    // The few control codes LiveLines writes, applied to rows of text as a terminal would.
    private static class Screen
    {
        public static string[] Replay(string text)
        {
            var rows = new List<StringBuilder> { new() };
            int row = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\n')
                {
                    row++;
                    if (row == rows.Count)
                    {
                        rows.Add(new StringBuilder());
                    }
                }
                else if (c == '\r')
                {
                    // LiveLines only returns to the column 0 of a row it then clears or rewrites.
                }
                else if (c == '\u001b')
                {
                    int end = text.IndexOfAny(['A', 'J'], i);
                    string args = text[(i + 2)..end];
                    if (text[end] == 'A')
                    {
                        row -= int.Parse(args, System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        rows.RemoveRange(row, rows.Count - row);
                        rows.Add(new StringBuilder());
                    }

                    i = end;
                }
                else
                {
                    rows[row].Append(c);
                }
            }

            return rows.Select(r => r.ToString()).Where(r => r.Length > 0).ToArray();
        }
    }
}
