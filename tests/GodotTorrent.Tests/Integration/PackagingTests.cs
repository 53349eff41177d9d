using System.Diagnostics;
using System.IO.Compression;
using GodotTorrent.Metainfo;
using GodotTorrent.Tests.Cli;

namespace GodotTorrent.Tests.Integration;

/// <summary>
/// <c>dotnet pack</c> gives the library package (with XML docs and the README) and the
/// <c>gdtorrent</c> tool package; the tool installs from that package alone (a NuGet.config
/// naming only the pack folder, so nothing comes from the network) and runs.
/// </summary>
public class PackagingTests
{
    private static readonly string RepoRoot = FindRepoRoot();

    [Fact]
    public async Task Packed_library_has_docs_and_readme_and_the_packed_tool_installs_and_runs_info()
    {
        using var temp = new TempFolder();
        var packages = Path.Combine(temp.Path, "packages");
        await RunAsync("dotnet", ["pack", Path.Combine(RepoRoot, "src/GodotTorrent/GodotTorrent.csproj"), "-c", "Release", "-o", packages, "-nologo", "-v", "q"]);
        await RunAsync("dotnet", ["pack", Path.Combine(RepoRoot, "src/GodotTorrent.Cli/GodotTorrent.Cli.csproj"), "-c", "Release", "-o", packages, "-nologo", "-v", "q"]);

        using (var library = ZipFile.OpenRead(Path.Combine(packages, "GodotTorrent.0.1.0.nupkg")))
        {
            var entries = library.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net8.0/GodotTorrent.dll", entries);
            Assert.Contains("lib/net8.0/GodotTorrent.xml", entries);
            Assert.Contains("README.md", entries);
        }

        using (var tool = ZipFile.OpenRead(Path.Combine(packages, "gdtorrent.0.1.0.nupkg")))
        {
            Assert.Contains(tool.Entries, e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        }

        var config = Path.Combine(temp.Path, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var tools = Path.Combine(temp.Path, "tools");
        await RunAsync("dotnet", ["tool", "install", "gdtorrent", "--version", "0.1.0", "--tool-path", tools, "--configfile", config]);

        var content = Path.Combine(temp.Path, "content");
        Directory.CreateDirectory(content);
        await File.WriteAllBytesAsync(Path.Combine(content, "a.bin"), new byte[50000]);
        var torrentFile = Path.Combine(temp.Path, "content.torrent");
        var torrent = await TorrentCreator.CreateFileAsync(content, torrentFile);

        var output = await RunAsync(Path.Combine(tools, "gdtorrent"), ["info", torrentFile, "--json"]);
        Assert.Contains(torrent.InfoHashes.Primary.ToHex().ToLowerInvariant(), output.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Contains("\"name\"", output, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish in 4 minutes");
        }

        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GodotTorrent.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("GodotTorrent.slnx not found above " + AppContext.BaseDirectory);
    }
}
