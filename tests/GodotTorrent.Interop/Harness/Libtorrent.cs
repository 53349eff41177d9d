using System.Globalization;
using System.Text.Json;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// libtorrent 2.0 (python3-libtorrent) as the reference, through tools/lt_tool.py run with
/// Debian's /usr/bin/python3. Every call is bounded; failures throw <see cref="ToolFailedException"/>
/// with the script's stderr.
/// </summary>
public static class Libtorrent
{
    /// <summary>Debian's interpreter: the python3 first on PATH may not import the Debian module.</summary>
    public const string Python = "/usr/bin/python3";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = false,
    };

    /// <summary>The script, copied next to the test assembly.</summary>
    public static string ScriptPath => System.IO.Path.Combine(AppContext.BaseDirectory, "tools", "lt_tool.py");

    public static Task<LtTorrentInfo> CreateAsync(LtCreateOptions options, CancellationToken cancellationToken = default)
    {
        List<string> args = ["create", "--path", options.Path, "--out", options.OutputPath];
        if (options.PieceSize != 0)
        {
            args.AddRange(["--piece-size", options.PieceSize.ToString(CultureInfo.InvariantCulture)]);
        }

        args.Add(options.Version switch
        {
            LtVersion.V1 => "--v1",
            LtVersion.V2 => "--v2",
            _ => "--hybrid",
        });
        foreach (var tracker in options.Trackers)
        {
            args.AddRange(["--tracker", tracker.Url + "@" + tracker.Tier.ToString(CultureInfo.InvariantCulture)]);
        }

        foreach (var seed in options.WebSeeds)
        {
            args.AddRange(["--web-seed", seed]);
        }

        if (options.Private)
        {
            args.Add("--private");
        }

        if (options.Comment is not null)
        {
            args.AddRange(["--comment", options.Comment]);
        }

        if (options.Creator is not null)
        {
            args.AddRange(["--creator", options.Creator]);
        }

        if (options.NoDate)
        {
            args.Add("--no-date");
        }

        if (options.WritePrivateZero)
        {
            args.Add("--write-private-zero");
        }

        if (options.FileOrder != LtFileOrder.Default)
        {
            args.AddRange(["--order", options.FileOrder switch
            {
                LtFileOrder.Bytes => "bytes",
                LtFileOrder.Tree => "tree",
                _ => "casefold",
            }]);
        }

        return RunAsync<LtTorrentInfo>(args, DefaultTimeout, cancellationToken);
    }

    public static Task<LtTorrentInfo> InfoAsync(string torrentPath, CancellationToken cancellationToken = default) =>
        RunAsync<LtTorrentInfo>(["info", "--torrent", torrentPath], DefaultTimeout, cancellationToken);

    /// <summary>lt.make_magnet_uri of the torrent: xt for each info-hash, dn, tr per tracker, ws per web seed.</summary>
    public static async Task<string> MagnetAsync(string torrentPath, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync<MagnetUri>(["magnet", "--torrent", torrentPath], DefaultTimeout, cancellationToken);
        return result.Uri;
    }

    public static Task<LtMagnet> ParseMagnetAsync(string uri, CancellationToken cancellationToken = default) =>
        RunAsync<LtMagnet>(["parse-magnet", "--uri", uri], DefaultTimeout, cancellationToken);

    /// <summary>
    /// Full check of <paramref name="dataDirectory"/> (the save path: a multi-file torrent's data is
    /// in dataDirectory/name/...) in a loopback-only session, with trackers and web seeds stripped.
    /// </summary>
    public static Task<LtRecheckResult> RecheckAsync(string torrentPath, string dataDirectory, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        return RunAsync<LtRecheckResult>(
            ["recheck", "--torrent", torrentPath, "--data", dataDirectory, "--timeout", limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)],
            limit + TimeSpan.FromSeconds(15),
            cancellationToken);
    }

    private static async Task<T> RunAsync<T>(List<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(ScriptPath))
        {
            throw new ToolFailedException($"{ScriptPath} is missing: the csproj copies tools/** to the output folder");
        }

        args.Insert(0, ScriptPath);
        var result = await ToolProcess.RunAsync(Python, args, timeout, cancellationToken: cancellationToken);
        return JsonSerializer.Deserialize<T>(result.StandardOutput, Json)
            ?? throw new ToolFailedException($"{result.CommandLine} printed no JSON: {result.StandardOutput}");
    }

    private sealed record MagnetUri(string Uri);
}
