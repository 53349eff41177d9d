namespace GodotTorrent.Cli;

/// <summary>
/// A command line found wrong only once the command runs (a <c>--select</c> number past the
/// torrent's last file): reported as a usage error, exit code 2.
/// </summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
