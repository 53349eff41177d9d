namespace GodotTorrent.Cli;

/// <summary>Where a command writes: results to <see cref="Out"/>, errors and progress to <see cref="Error"/>.</summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, bool errorIsTerminal)
    {
        Out = output;
        Error = error;
        ErrorIsTerminal = errorIsTerminal;
    }

    /// <summary>Standard output: the result of the command, meant to be piped.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: error lines and progress.</summary>
    public TextWriter Error { get; }

    /// <summary>True when <see cref="Error"/> is an interactive terminal, so progress lines are worth drawing.</summary>
    public bool ErrorIsTerminal { get; }

    /// <summary>The real console of the process.</summary>
    public static CliConsole FromProcess() => new(Console.Out, Console.Error, !Console.IsErrorRedirected);
}
