using Spectre.Console;

namespace GodotTorrent.Cli.Output;

/// <summary>
/// Live progress on stderr: Spectre.Console progress bars when stderr is a terminal, otherwise
/// plain lines (each row at most every two seconds, and once when it reaches 100%). Either way a
/// row fits the width of the terminal (80 columns for plain lines).
/// </summary>
internal static class LiveProgress
{
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

    // A long name keeps this much room; the bar is narrow on a narrow terminal.
    private const int MaxNameWidth = 24;
    private const int PercentWidth = 4;
    // One space between each of the four columns, and the last column is kept off the edge.
    private const int Gaps = 4;

    public static Task<T> RunAsync<T>(CliConsole console, IReadOnlyList<string> rows, Func<IProgressRows, Task<T>> body)
    {
        if (!console.ErrorIsTerminal)
        {
            return body(new PlainProgressRows(console.Error, rows, PlainInterval));
        }

        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console.Error),
            Interactive = InteractionSupport.Yes,
        });
        terminal.Profile.Width = console.Width;
        int nameWidth = Math.Min(rows.Max(r => r.Length), MaxNameWidth);
        int barWidth = console.Width >= 120 ? 24 : 10;
        int detailWidth = Math.Max(console.Width - nameWidth - barWidth - PercentWidth - Gaps, 10);
        var details = new DetailColumn();
        return terminal.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn { Width = barWidth },
                new PercentageColumn(),
                details)
            .StartAsync(context =>
            {
                var tasks = rows.Select(r => context.AddTask(Markup.Escape(ProgressText.Truncate(r, nameWidth).PadRight(nameWidth)), maxValue: 1)).ToArray();
                return body(new SpectreRows(terminal, context, tasks, details, detailWidth));
            });
    }

    private sealed class SpectreRows(IAnsiConsole terminal, ProgressContext context, ProgressTask[] tasks, DetailColumn details, int detailWidth) : IProgressRows
    {
        public int DetailWidth => detailWidth;

        public void Update(int row, double fraction, string detail)
        {
            details.Set(tasks[row], ProgressText.Truncate(detail, detailWidth));
            tasks[row].Value = Math.Clamp(fraction, 0, 1);
            // Drawn now rather than at the next tick of Spectre's timer: the screen then shows
            // what was last reported when a note or the final summary follows it.
            context.Refresh();
        }

        // Written through the live display's console, so it lands above the bars instead of through them.
        public void Note(string line) => terminal.Write(new NoteLine(line));
    }
}
