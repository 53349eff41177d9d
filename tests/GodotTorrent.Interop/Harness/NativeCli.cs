namespace GodotTorrent.Interop.Harness;

/// <summary>
/// gdtorrent as one native executable (Native AOT), published once per test class by
/// scripts/publish-native.sh into a temporary folder: the form the CLI ships in. Trimming and
/// AOT analyzers run in every build; this proves the published program really works.
/// </summary>
public sealed class NativeCli : IAsyncLifetime
{
    // A cold native compile of the CLI takes 1-2 minutes on two cores; this bounds a stuck one.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);

    private readonly TestData _folder = TestData.Create();

    /// <summary>The published executable.</summary>
    public string Path { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        string script = System.IO.Path.Combine(OurCli.RepositoryRoot, "scripts", "publish-native.sh");
        var result = await ToolProcess.RunAsync(script, [_folder.PathOf("native")], PublishTimeout);
        Path = result.StandardOutput.Trim().Split('\n')[^1];
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"{script} printed {Path}, which does not exist; stderr: {result.StandardError}");
        }
    }

    /// <summary>Runs the native gdtorrent with the arguments, bounded (killed by PID on timeout); a non-zero exit is returned, not thrown.</summary>
    public async Task<ToolResult> RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var cli = ToolProcess.Start(Path, arguments);
        return await cli.WaitForExitAsync(timeout);
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}
