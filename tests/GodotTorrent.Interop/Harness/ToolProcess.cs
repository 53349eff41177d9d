using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// One started external tool. Captures stdout and stderr line by line (joined with '\n'),
/// bounds every wait, and kills the whole process tree by PID on timeout or dispose.
/// <see cref="RunAsync"/> is the one-shot form: start, wait bounded, throw on a non-zero exit.
/// </summary>
public sealed class ToolProcess : IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(Predicate<string> Match, TaskCompletionSource<string> Done)> _lineWaiters = [];
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private bool _disposed;

    private ToolProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
        Id = process.Id;
        _stdoutPump = PumpAsync(process.StandardOutput, _stdout, notify: true);
        _stderrPump = PumpAsync(process.StandardError, _stderr, notify: false);
    }

    /// <summary>The process id (the root of the tree that is killed).</summary>
    public int Id { get; }

    /// <summary>The command as a shell would show it, for messages.</summary>
    public string CommandLine { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Standard output captured so far.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Standard error captured so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with the given arguments (no shell; each argument passed as is).</summary>
    public static ToolProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var commandLine = string.Join(' ', info.ArgumentList.Prepend(fileName).Select(Quote));
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new ToolFailedException(
                $"cannot start {fileName} ({ex.Message}); scripts/install-deps.sh installs the interop tools", ex);
        }

        // Nothing reads our stdin; close it so tools that read it see end of file.
        process.StandardInput.Close();
        return new ToolProcess(process, commandLine);
    }

    /// <summary>Runs a tool to completion within <paramref name="timeout"/>; throws <see cref="ToolFailedException"/> with its stderr on a non-zero exit or timeout.</summary>
    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        using var tool = Start(fileName, arguments, workingDirectory);
        var result = await tool.WaitForExitAsync(timeout, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new ToolFailedException(
                $"{tool.CommandLine} exited with code {result.ExitCode}: {result.StandardError.Trim()}",
                tool.CommandLine,
                result.ExitCode,
                result.StandardOutput,
                result.StandardError,
                timedOut: false);
        }

        return result;
    }

    /// <summary>
    /// Waits for the process to exit. On timeout or cancellation the tree is killed and a
    /// <see cref="ToolFailedException"/> (TimedOut) or <see cref="OperationCanceledException"/> is thrown.
    /// A non-zero exit code is returned, not thrown.
    /// </summary>
    public async Task<ToolResult> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            cancellationToken.ThrowIfCancellationRequested();
            throw new ToolFailedException(
                $"{CommandLine} did not finish within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was killed; stderr: {StandardError.Trim()}",
                CommandLine,
                exitCode: null,
                StandardOutput,
                StandardError,
                timedOut: true);
        }

        // The pipes close when the last holder exits; a leftover grandchild could keep them open.
        await Task.WhenAny(Task.WhenAll(_stdoutPump, _stderrPump), Task.Delay(DrainTimeout, CancellationToken.None));
        return new ToolResult(CommandLine, _process.ExitCode, StandardOutput, StandardError, _clock.Elapsed);
    }

    /// <summary>
    /// Waits, bounded, for a line of standard output (already seen or still to come) that matches;
    /// throws <see cref="ToolFailedException"/> at once when standard output ends without one.
    /// </summary>
    public async Task<string> WaitForLineAsync(Predicate<string> match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var seen = _stdout.ToString().Split('\n').FirstOrDefault(line => match(line));
            if (seen is not null)
            {
                return seen;
            }

            _lineWaiters.Add((match, done));
        }

        try
        {
            // Once standard output has ended no line can come: a tool that died (libtorrent 2.0.8 can
            // crash on a hash reject) fails the wait now, with its exit code, not after the whole bound.
            await Task.WhenAny(done.Task, _stdoutPump).WaitAsync(timeout, cancellationToken);
            return done.Task.IsCompleted ? await done.Task : throw await EndedWithoutLineAsync();
        }
        catch (TimeoutException)
        {
            throw new ToolFailedException(
                $"{CommandLine}: no matching output line within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; exited: {HasExited}; stderr: {StandardError.Trim()}",
                CommandLine,
                HasExited ? _process.ExitCode : null,
                StandardOutput,
                StandardError,
                timedOut: true);
        }
        finally
        {
            lock (_gate)
            {
                _lineWaiters.RemoveAll(w => w.Done == done);
            }
        }
    }

    // Standard output ended before a matching line: waits, bounded, for the exit code to name it (128 + signal on a crash).
    private async Task<ToolFailedException> EndedWithoutLineAsync()
    {
        await Task.WhenAny(_process.WaitForExitAsync(), Task.Delay(DrainTimeout, CancellationToken.None));
        await Task.WhenAny(_stderrPump, Task.Delay(DrainTimeout, CancellationToken.None));
        int? exitCode = _process.HasExited ? _process.ExitCode : null;
        return new ToolFailedException(
            $"{CommandLine}: standard output ended without a matching line; exit code: {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "none yet"}; stderr: {StandardError.Trim()}",
            CommandLine,
            exitCode,
            StandardOutput,
            StandardError,
            timedOut: false);
    }

    /// <summary>
    /// Sends signal <paramref name="name"/> (INT, TERM, ...) to the process by PID with kill(1), for a
    /// clean stop as Ctrl-C or a service manager would ask; the caller still waits, bounded.
    /// </summary>
    public void Signal(string name)
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-" + name, Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit(TimeSpan.FromSeconds(5));
    }

    /// <summary>Kills the process and all its descendants (found by PID), if still running, and waits for them, bounded.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        catch (Win32Exception)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        _process.Dispose();
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private async Task PumpAsync(StreamReader reader, StringBuilder sink, bool notify)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                List<TaskCompletionSource<string>> matched = [];
                lock (_gate)
                {
                    sink.Append(line).Append('\n');
                    if (notify)
                    {
                        foreach (var (match, done) in _lineWaiters)
                        {
                            if (match(line))
                            {
                                matched.Add(done);
                            }
                        }
                    }
                }

                foreach (var done in matched)
                {
                    done.TrySetResult(line);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed while reading.
        }
        catch (IOException)
        {
            // Pipe broken by a kill.
        }
    }
}
