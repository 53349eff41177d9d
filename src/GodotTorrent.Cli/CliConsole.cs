namespace GodotTorrent.Cli;

/// <summary>Where a command writes: results to <see cref="Out"/>, errors and progress to <see cref="Error"/>.</summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, bool errorIsTerminal, int width = Output.ProgressText.DefaultWidth)
    {
        Out = output;
        Error = error;
        ErrorIsTerminal = errorIsTerminal;
        Width = width;
    }

    /// <summary>Standard output: the result of the command, meant to be piped.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: error lines and progress.</summary>
    public TextWriter Error { get; }

    /// <summary>True when <see cref="Error"/> is an interactive terminal, so progress lines are worth drawing.</summary>
    public bool ErrorIsTerminal { get; }

    /// <summary>The width of the terminal in columns (80 when unknown): live progress lines must fit it.</summary>
    public int Width { get; }

    /// <summary>The real console of the process.</summary>
    public static CliConsole FromProcess() => new(Console.Out, Console.Error, !Console.IsErrorRedirected, TerminalWidth());

    private static int TerminalWidth()
    {
        try
        {
            return Console.IsErrorRedirected || Console.WindowWidth <= 0 ? Output.ProgressText.DefaultWidth : Console.WindowWidth;
        }
        catch (IOException)
        {
            return Output.ProgressText.DefaultWidth;
        }
    }
}
