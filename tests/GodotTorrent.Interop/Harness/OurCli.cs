using System.Text;

namespace GodotTorrent.Interop.Harness;

/// <summary>Command lines that run our built CLI (src/GodotTorrent.Cli, same configuration as the tests), for tools that start it themselves.</summary>
public static class OurCli
{
    /// <summary>gdtorrent.dll of the same build configuration as this test assembly.</summary>
    public static string DllPath
    {
        get
        {
            var dll = Path.Combine(RepositoryRoot, "src", "GodotTorrent.Cli", "bin", Configuration, "net8.0", "gdtorrent.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution first");
        }
    }

    /// <summary>The build configuration of this test assembly (Release or Debug), which the library and CLI were built in too.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";

    /// <summary>The repository root: the folder above the tests that holds GodotTorrent.slnx.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GodotTorrent.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("The repository root (GodotTorrent.slnx) is not above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A bash command line for <c>dotnet gdtorrent.dll</c> with each argument single-quoted; <c>{DHT_ARGS}</c> and other script placeholders may follow as <paramref name="raw"/>.</summary>
    public static string Command(IEnumerable<string> arguments, string raw = "")
    {
        var text = new StringBuilder("dotnet ").Append(Quote(DllPath));
        foreach (var argument in arguments)
        {
            text.Append(' ').Append(Quote(argument));
        }

        return raw.Length == 0 ? text.ToString() : text.Append(' ').Append(raw).ToString();
    }

    /// <summary>Runs <c>dotnet gdtorrent.dll</c> with the arguments, bounded (killed by PID on timeout); a non-zero exit is returned, not thrown.</summary>
    public static async Task<ToolResult> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cli = ToolProcess.Start("dotnet", arguments.Prepend(DllPath));
        return await cli.WaitForExitAsync(timeout, cancellationToken);
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
