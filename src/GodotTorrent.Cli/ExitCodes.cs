namespace GodotTorrent.Cli;

/// <summary>The process exit codes of gdtorrent.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command was well formed but failed (missing file, malformed torrent, I/O error).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong (unknown option, missing argument, conflicting options).</summary>
    public const int Usage = 2;
}
