using GodotTorrent.Interop.Harness;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// README "Using the library from C#": the C# block is taken from README.md as it is, compiled as
/// a console program against the built library, and run as its own process: it seeds and
/// downloads on 127.0.0.1, prints the progress and ends.
/// </summary>
public sealed class ReadmeExampleInteropTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task The_readme_csharp_example_compiles_runs_and_downloads_from_its_own_seed()
    {
        string readme = await File.ReadAllTextAsync(Path.Combine(OurCli.RepositoryRoot, "README.md"));
        string folder = _data.PathOf("example");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "Program.cs"), Snippet(readme, "## Using the library from C#"));
        // As `dotnet new console` makes it, with the library as a reference instead of a package.
        await File.WriteAllTextAsync(Path.Combine(folder, "Example.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net8.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <RollForward>Major</RollForward>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Path.Combine(OurCli.RepositoryRoot, "src", "GodotTorrent", "GodotTorrent.csproj")}" />
              </ItemGroup>
            </Project>
            """);

        // The library is already built (as for every interop test): only the example is compiled. No -o: it
        // would be passed on to the library's project too, whose output would then be looked for there.
        await ToolProcess.RunAsync(
            "dotnet",
            ["build", "Example.csproj", "-c", OurCli.Configuration, "-p:BuildProjectReferences=false", "-nologo", "-v", "q"],
            BuildTimeout,
            folder);
        var run = await ToolProcess.RunAsync("dotnet", [Path.Combine(folder, "bin", OurCli.Configuration, "net8.0", "Example.dll")], RunTimeout, folder);
        output.WriteLine(run.StandardOutput);

        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("progress ", StringComparison.Ordinal));
        Assert.Equal($"patch.bin: {4 * 1024 * 1024} bytes verified, in downloads/", lines[^1]);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(folder, "content", "patch.bin")), await File.ReadAllBytesAsync(Path.Combine(folder, "downloads", "patch.bin")));
    }

    /// <summary>The first <c>```csharp</c> block after <paramref name="heading"/>.</summary>
    private static string Snippet(string markdown, string heading)
    {
        int section = markdown.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(section >= 0, $"README.md has no '{heading}'");
        int start = markdown.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        int end = markdown.IndexOf("```\n", start, StringComparison.Ordinal);
        return markdown[start..end];
    }
}
