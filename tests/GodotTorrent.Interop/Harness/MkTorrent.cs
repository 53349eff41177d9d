using System.Globalization;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// mktorrent 1.1: v1 torrents only. Files are ordered by the raw bytes of their whole relative
/// path, empty files are kept, there are no pad files, and "private" is written only with -p.
/// With -d and the same piece length its output is byte-identical to lt_tool.py create --v1
/// --no-date --creator "mktorrent 1.1" with the same trackers (tiers), web seeds, comment and
/// private flag.
/// </summary>
public static class MkTorrent
{
    public const string Executable = "mktorrent";

    /// <summary>What mktorrent 1.1 writes as "created by".</summary>
    public const string CreatedBy = "mktorrent 1.1";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Writes the .torrent (replacing an existing file: mktorrent refuses to) and returns its path.</summary>
    public static async Task<string> CreateAsync(MkTorrentOptions options, CancellationToken cancellationToken = default)
    {
        List<string> args = ["-l", options.PieceLengthExponent.ToString(CultureInfo.InvariantCulture)];
        args.AddRange(["-t", options.Threads.ToString(CultureInfo.InvariantCulture)]);
        foreach (var tier in options.TrackerTiers)
        {
            args.AddRange(["-a", string.Join(',', tier)]);
        }

        foreach (var seed in options.WebSeeds)
        {
            args.AddRange(["-w", seed]);
        }

        if (options.Private)
        {
            args.Add("-p");
        }

        if (options.NoDate)
        {
            args.Add("-d");
        }

        if (options.Comment is not null)
        {
            args.AddRange(["-c", options.Comment]);
        }

        if (options.Name is not null)
        {
            args.AddRange(["-n", options.Name]);
        }

        if (options.Source is not null)
        {
            args.AddRange(["-s", options.Source]);
        }

        args.AddRange(["-o", options.OutputPath, options.Path]);
        File.Delete(options.OutputPath);
        await ToolProcess.RunAsync(Executable, args, DefaultTimeout, cancellationToken: cancellationToken);
        return options.OutputPath;
    }
}
