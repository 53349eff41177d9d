using System.Runtime.InteropServices;

namespace GodotTorrent.Cli;

/// <summary>The entry point of gdtorrent.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Ctrl-C and SIGTERM cancel the command, which then stops its sessions, cleans up and says
        // so. Registered before anything runs, so even a signal in the first milliseconds is
        // handled; a second Ctrl-C is not intercepted and ends the process at once.
        using var stop = new CancellationTokenSource();
        void Cancel(PosixSignalContext context)
        {
            if (!stop.IsCancellationRequested)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        return await new CliApp(CliConsole.FromProcess()).RunAsync(args, stop.Token).ConfigureAwait(false);
    }

    /// <summary>Runs gdtorrent in-process with its output captured (what the tests use).</summary>
    internal static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        new CliApp(new CliConsole(stdout, stderr, errorIsTerminal: false)).RunAsync(args, cancellationToken);
}
