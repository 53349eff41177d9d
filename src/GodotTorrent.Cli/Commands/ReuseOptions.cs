using System.CommandLine;
using System.CommandLine.Parsing;
using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>--reuse DIR[=TORRENT]</c> of <c>download</c>, repeatable: earlier versions of the content
/// (<see cref="AddTorrentParams.PreviousVersions"/>) whose identical files are copied into place
/// instead of downloaded. With the earlier .torrent the cheap rules apply (pieces roots, piece
/// hashes); without it files of the same length anywhere under DIR are hashed. The summary and
/// a <c>reused</c> JSON line (before <c>complete</c>) say what was reused and what was downloaded.
/// </summary>
internal sealed class ReuseOptions
{
    public Option<IReadOnlyList<string>> Reuse { get; } = new("--reuse")
    {
        Description = "Reuse the unchanged files of an earlier version saved in DIR (its --out folder); give its torrent as DIR=FILE.torrent, "
            + "otherwise files are found by content; repeatable. Only the rest is downloaded.",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = Parse,
        DefaultValueFactory = _ => [],
        HelpName = "DIR[=TORRENT]",
    };

    public void AddTo(Command command) => command.Options.Add(Reuse);

    /// <summary>The torrent's earlier versions from the options (earlier torrents loaded here).</summary>
    /// <exception cref="CliException">A folder does not exist or a torrent cannot be read.</exception>
    public async Task<AddTorrentParams> ApplyAsync(ParseResult parse, AddTorrentParams add, CancellationToken cancellationToken)
    {
        var versions = new List<PreviousVersion>();
        foreach (string value in parse.GetRequiredValue(Reuse))
        {
            var (folder, torrentPath) = Split(value);
            if (!Directory.Exists(folder))
            {
                throw new CliException($"--reuse {value}: {folder} is not a folder");
            }

            var torrent = torrentPath is null ? null : await TorrentInput.LoadTorrentAsync(torrentPath, cancellationToken).ConfigureAwait(false);
            versions.Add(PreviousVersion.FromFolder(SaveFolderOf(Path.GetFullPath(folder), torrent), torrent));
        }

        return versions.Count == 0 ? add : add with { PreviousVersions = versions };
    }

    /// <summary>Catches the session's <see cref="FilesReusedAlert"/> when --reuse was given (before the torrent is added).</summary>
    public ReuseWatch? WatchFor(ParseResult parse, TorrentSession session) =>
        parse.GetRequiredValue(Reuse).Count == 0 ? null : new ReuseWatch(session);

    // A multi-file torrent's files sit in <save folder>/<name>/: a user may name either folder, as
    // seedbox --data takes the content folder too. The parent is taken only when none of the files
    // is under the folder given and one is under its parent.
    private static string SaveFolderOf(string folder, TorrentInfo? torrent)
    {
        if (torrent is null || Path.GetDirectoryName(folder) is not { } parent)
        {
            return folder;
        }

        var files = torrent.Files.Where(f => !f.IsPad).Take(64).ToList();
        bool Holds(string root) => files.Any(f => File.Exists(Path.Combine(root, f.Path)));
        return !Holds(folder) && Holds(parent) ? parent : folder;
    }

    // DIR=TORRENT only when the part after the last '=' names a .torrent file: a folder name may hold '=' too.
    private static (string Folder, string? Torrent) Split(string value)
    {
        int at = value.LastIndexOf('=');
        return at >= 0 && value.EndsWith(".torrent", StringComparison.OrdinalIgnoreCase)
            ? (value[..at], value[(at + 1)..])
            : (value, null);
    }

    private static List<string> Parse(ArgumentResult result)
    {
        var values = new List<string>();
        foreach (var token in result.Tokens)
        {
            var (folder, torrent) = Split(token.Value);
            if (folder.Length == 0 || torrent is { Length: 0 })
            {
                result.AddError($"--reuse '{token.Value}' is not DIR or DIR=FILE.torrent.");
            }

            values.Add(token.Value);
        }

        return values;
    }
}
