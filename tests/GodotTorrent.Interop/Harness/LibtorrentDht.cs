using System.Globalization;
using System.Text.Json;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// A DHT of libtorrent nodes in a private network namespace (tools/lt_dht.py): node i on
/// 127.0.0.(10+i):6881, fully meshed, then the steps run in order. Our side runs inside the same
/// namespace as a <c>run</c> step (the CLI, see <see cref="OurCli"/>), so no DHT packet of either
/// side can leave the machine. Needs root (it calls unshare).
/// </summary>
public static class LibtorrentDht
{
    /// <summary>The first node's endpoint; nodes 0-2 are what <c>{DHT_ARGS}</c> names as bootstrap nodes.</summary>
    public const string FirstNode = "127.0.0.10:6881";

    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "tools", "lt_dht.py");

    /// <summary>Runs <paramref name="steps"/> (objects serialised as the script's step JSON) against <paramref name="nodes"/> libtorrent nodes; bounded by <paramref name="timeout"/>.</summary>
    public static async Task<LtDhtRun> RunAsync(int nodes, IReadOnlyList<object> steps, string workFolder, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(workFolder);
        string stepsFile = Path.Combine(workFolder, "steps.json");
        await File.WriteAllTextAsync(stepsFile, JsonSerializer.Serialize(steps), cancellationToken);
        var seconds = ((int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        using var tool = ToolProcess.Start(
            Libtorrent.Python,
            [ScriptPath, "--nodes", nodes.ToString(CultureInfo.InvariantCulture), "--steps", stepsFile, "--work", workFolder, "--timeout", seconds]);
        var result = await tool.WaitForExitAsync(timeout + TimeSpan.FromSeconds(15), cancellationToken);
        var events = new List<JsonElement>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('{'))
            {
                using var doc = JsonDocument.Parse(line);
                events.Add(doc.RootElement.Clone());
            }
        }

        return new LtDhtRun(result.ExitCode == 0, events, result.StandardOutput, result.StandardError);
    }
}

/// <summary>What one <see cref="LibtorrentDht.RunAsync"/> printed.</summary>
public sealed record LtDhtRun(bool Ok, IReadOnlyList<JsonElement> Events, string Output, string Errors)
{
    /// <summary>The result line of step <paramref name="index"/>; throws with the whole output when it is missing.</summary>
    public JsonElement Step(int index) =>
        Events.FirstOrDefault(e => e.TryGetProperty("step", out var s) && s.GetInt32() == index) is { ValueKind: JsonValueKind.Object } found
            ? found
            : throw new InvalidOperationException($"step {index} printed nothing:\n{this}");

    /// <summary>True when step <paramref name="index"/> reported ok.</summary>
    public bool StepOk(int index) => Step(index).GetProperty("ok").GetBoolean();

    public override string ToString() => $"exit ok={Ok}\nstdout:\n{Output}\nstderr:\n{Errors}";
}
