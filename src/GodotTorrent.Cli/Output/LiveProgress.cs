using Spectre.Console;

namespace GodotTorrent.Cli.Output;

/// <summary>
/// Live progress on stderr: Spectre.Console progress bars when stderr is a terminal, otherwise
/// plain lines (each row at most every two seconds, and once when it reaches 100%).
/// </summary>
internal static class LiveProgress
{
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

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
        int width = rows.Max(r => r.Length);
        var details = new DetailColumn();
        return terminal.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn { Width = 24 },
                new PercentageColumn(),
                details)
            .StartAsync(context =>
            {
                var tasks = rows.Select(r => context.AddTask(Markup.Escape(r.PadRight(width)), maxValue: 1)).ToArray();
                return body(new SpectreRows(tasks, details));
            });
    }

    private sealed class SpectreRows(ProgressTask[] tasks, DetailColumn details) : IProgressRows
    {
        public void Update(int row, double fraction, string detail)
        {
            details.Set(tasks[row], detail);
            tasks[row].Value = Math.Clamp(fraction, 0, 1);
        }
    }
}
