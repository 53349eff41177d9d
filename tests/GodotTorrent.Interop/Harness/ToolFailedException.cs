namespace GodotTorrent.Interop.Harness;

/// <summary>A tool exited with a non-zero code, or was killed because it ran out of time.</summary>
public sealed class ToolFailedException : Exception
{
    public ToolFailedException()
    {
    }

    public ToolFailedException(string message)
        : base(message)
    {
    }

    public ToolFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ToolFailedException(string message, string commandLine, int? exitCode, string standardOutput, string standardError, bool timedOut)
        : base(message)
    {
        CommandLine = commandLine;
        ExitCode = exitCode;
        StandardOutput = standardOutput;
        StandardError = standardError;
        TimedOut = timedOut;
    }

    public string CommandLine { get; } = "";

    /// <summary>Null when the process was killed before it exited by itself.</summary>
    public int? ExitCode { get; }

    public string StandardOutput { get; } = "";

    public string StandardError { get; } = "";

    public bool TimedOut { get; }
}
