namespace GodotTorrent.Cli;

/// <summary>
/// A failure the user can act on, reported as one <c>gdtorrent: error: ...</c> line and exit
/// code 1. The inner exception, if any, is shown only with <c>--verbose</c>.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
