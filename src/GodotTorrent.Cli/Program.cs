namespace GodotTorrent.Cli;

/// <summary>The entry point of gdtorrent.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => new CliApp(CliConsole.FromProcess()).RunAsync(args);

    /// <summary>Runs gdtorrent in-process with its output captured (what the tests use).</summary>
    internal static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        new CliApp(new CliConsole(stdout, stderr, errorIsTerminal: false)).RunAsync(args, cancellationToken);
}
