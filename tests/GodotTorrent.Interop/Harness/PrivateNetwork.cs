namespace GodotTorrent.Interop.Harness;

/// <summary>
/// Runs a bash script in a network namespace of its own (<c>unshare -n</c>, root) with only
/// <c>lo</c> up: multicast (LSD) and everything else it or its children send stays inside, and
/// the namespace ends with its last process. Bounded: on timeout the process tree is killed by
/// PID (<see cref="ToolProcess"/>). The script stops what it starts in the background by PID.
/// </summary>
public static class PrivateNetwork
{
    /// <summary>Runs <paramref name="script"/>; a non-zero exit is returned, not thrown.</summary>
    public static async Task<ToolResult> RunAsync(string script, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var shell = ToolProcess.Start("unshare", ["-n", "bash", "-c", "set -u\nip link set lo up || exit 90\n" + script]);
        return await shell.WaitForExitAsync(timeout, cancellationToken);
    }

    /// <summary>Bash: waits (up to 30 s) until <paramref name="file"/> holds a line with <paramref name="text"/>; exits 91 otherwise.</summary>
    public static string WaitForLine(string file, string text) =>
        $"for i in $(seq 1 150); do grep -q {Quote(text)} {Quote(file)} 2>/dev/null && break; sleep 0.2; done; grep -q {Quote(text)} {Quote(file)} || {{ echo 'no {text} in {file}' >&2; exit 91; }}\n";

    /// <summary>A single-quoted bash word.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
