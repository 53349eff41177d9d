using System.Globalization;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// transmission-create 3.00: v1 torrents only. Orders files by the whole relative path with
/// ASCII letters compared case-insensitively ("_x" &lt; "a" &lt; "B"; mktorrent puts "B" first),
/// leaves empty files out, always writes "private" (0 or 1) into the info dict, and adds
/// "creation date", "created by": "Transmission/3.00 (bb6b5a062e)" and "encoding": "UTF-8".
/// Its v1 info-hash equals libtorrent's (lt_tool.py create --v1 --order casefold
/// --write-private-zero, same piece size) when the folder has no empty file.
/// </summary>
public static class TransmissionCreate
{
    public const string Executable = "transmission-create";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Writes the .torrent (replacing an existing file) and returns its path.</summary>
    public static async Task<string> CreateAsync(TransmissionCreateOptions options, CancellationToken cancellationToken = default)
    {
        List<string> args = ["-o", options.OutputPath];
        foreach (var tracker in options.Trackers)
        {
            args.AddRange(["-t", tracker]);
        }

        if (options.PieceSizeKiB is { } kib)
        {
            args.AddRange(["-s", kib.ToString(CultureInfo.InvariantCulture)]);
        }

        if (options.Private)
        {
            args.Add("-p");
        }

        if (options.Comment is not null)
        {
            args.AddRange(["-c", options.Comment]);
        }

        args.Add(options.Path);
        File.Delete(options.OutputPath);
        await ToolProcess.RunAsync(Executable, args, DefaultTimeout, cancellationToken: cancellationToken);
        return options.OutputPath;
    }
}
