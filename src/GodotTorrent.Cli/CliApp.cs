using System.CommandLine;
using System.CommandLine.Invocation;
using GodotTorrent.Cli.Commands;

namespace GodotTorrent.Cli;

/// <summary>
/// The gdtorrent command tree and the rules around it: usage errors exit with 2 and a short
/// message on stderr, failures exit with 1 and one <c>gdtorrent: error: ...</c> line (plus the
/// stack trace with <c>--verbose</c>).
/// </summary>
internal sealed class CliApp
{
    private readonly CliConsole _console;
    private readonly Option<bool> _verbose = new("--verbose", "-v")
    {
        Description = "On failure, print the stack trace after the error line.",
        Recursive = true,
    };

    public CliApp(CliConsole console)
    {
        _console = console;
    }

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        RootCommand root = BuildRoot();
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            return ReportUsageError(parse);
        }

        var configuration = new InvocationConfiguration
        {
            Output = _console.Out,
            Error = _console.Error,
            EnableDefaultExceptionHandler = false,
            // Signals are handled by Program.Main (registered before anything runs) through the cancellation token.
            ProcessTerminationTimeout = null,
        };

        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The program's last line of defence: every failure becomes one error line and exit code 1.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ReportFailure(ex, parse.GetValue(_verbose));
        }
    }

    private RootCommand BuildRoot()
    {
        var root = new RootCommand("gdtorrent: create, inspect, check, download, stream and seed torrents with Godot-Torrent.");
        root.Options.Add(_verbose);
        root.Subcommands.Add(new CreateCommand(_console));
        root.Subcommands.Add(new InfoCommand(_console));
        root.Subcommands.Add(new MagnetCommand(_console));
        root.Subcommands.Add(new CheckCommand(_console));
        root.Subcommands.Add(new DownloadCommand(_console));
        root.Subcommands.Add(new SeedCommand(_console));
        root.Subcommands.Add(new SeedboxCommand(_console));
        root.Subcommands.Add(new DemoCommand(_console));
        root.Subcommands.Add(new KeygenCommand(_console));
        root.Subcommands.Add(new PublishCommand(_console));
        root.Subcommands.Add(new DhtGetCommand(_console));
        root.Subcommands.Add(new DhtPutCommand(_console));
        root.Subcommands.Add(new StreamCommand(_console));
        return root;
    }

    private int ReportUsageError(ParseResult parse)
    {
        foreach (string line in UsageErrorText.Lines(parse))
        {
            _console.Error.WriteLine($"gdtorrent: usage error: {line}");
        }

        var command = parse.CommandResult.Command;
        string path = command is RootCommand ? "gdtorrent" : $"gdtorrent {command.Name}";
        _console.Error.WriteLine($"Run '{path} --help' for usage.");
        return ExitCodes.Usage;
    }

    private int ReportFailure(Exception ex, bool verbose)
    {
        if (ex is UsageException usage)
        {
            _console.Error.WriteLine($"gdtorrent: usage error: {OneLine(usage.Message)}");
            return ExitCodes.Usage;
        }

        _console.Error.WriteLine($"gdtorrent: error: {Describe(ex)}");
        if (verbose)
        {
            _console.Error.WriteLine(ex.ToString());
        }

        return ExitCodes.Failure;
    }

    /// <summary>The one-line description of a failure: our own messages as they are, anything unexpected with its type.</summary>
    internal static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "cancelled",
        CliException or TorrentException or IOException or UnauthorizedAccessException => OneLine(ex.Message),
        _ => $"{ex.GetType().Name}: {OneLine(ex.Message)}",
    };

    private static string OneLine(string text) => UsageErrorText.OneLine(text);
}
