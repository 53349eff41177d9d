using System.CommandLine;
using GodotTorrent.Cli.Output;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>gdtorrent create &lt;path&gt; -o &lt;file.torrent&gt; [...]</c>: hashes a file or folder
/// with <see cref="TorrentCreator"/> and writes the .torrent.
/// </summary>
internal sealed class CreateCommand : Command
{
    private readonly CliConsole _console;

    private readonly Argument<string> _path = new("path") { Description = "The file or folder to share." };

    private readonly Option<string> _output = new("--output", "-o")
    {
        Description = "Where to write the .torrent file.",
        Required = true,
        HelpName = "FILE",
    };

    private readonly Option<IReadOnlyList<IReadOnlyList<string>>> _trackers = new("--tracker", "-t")
    {
        Description = "Tracker announce URL. Repeat for more tiers (one tier each); URL1,URL2 puts URLs in the same tier.",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = CommandLineValues.ParseTrackerTiers,
        DefaultValueFactory = _ => [],
        HelpName = "URL",
    };

    private readonly Option<IReadOnlyList<string>> _webSeeds = new("--web-seed", "-w")
    {
        Description = "HTTP(S) web seed URL (BEP 19); repeatable.",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = CommandLineValues.ParseWebSeeds,
        DefaultValueFactory = _ => [],
        HelpName = "URL",
    };

    private readonly Option<int> _pieceSize = new("--piece-size", "-p")
    {
        Description = "Bytes per piece: a power of two from 16K to 128M, as bytes or with a suffix (256K, 1M). Default: chosen from the size (about 1,000-2,000 pieces).",
        CustomParser = CommandLineValues.ParsePieceLength,
        HelpName = "BYTES",
    };

    private readonly Option<bool> _private = new("--private") { Description = "Mark the torrent private (BEP 27): peers only from its trackers, no DHT or PEX." };

    private readonly Option<string?> _comment = new("--comment", "-c") { Description = "A comment stored in the torrent.", HelpName = "TEXT" };

    private readonly Option<string?> _source = new("--source") { Description = "The 'source' field private trackers use (changes the info-hash).", HelpName = "TEXT" };

    private readonly Option<string?> _name = new("--name") { Description = "The torrent's name (default: the file or folder name).", HelpName = "NAME" };

    private readonly Option<bool> _v1 = new("--v1") { Description = "Write v1 metadata only (SHA-1, BEP 3)." };

    private readonly Option<bool> _v2 = new("--v2") { Description = "Write v2 metadata only (SHA-256 merkle trees, BEP 52)." };

    private readonly Option<bool> _hybrid = new("--hybrid") { Description = "Write both, so v1 and v2 clients share one swarm (the default)." };

    private readonly Option<bool> _noDate = new("--no-date") { Description = "Leave out the creation date, so the same files always give the same bytes." };

    private readonly Option<bool> _includeHidden = new("--include-hidden") { Description = "Share hidden files and dot-files too (left out by default)." };

    private readonly Option<bool> _force = new("--force", "-f") { Description = "Replace the output file if it exists." };

    public CreateCommand(CliConsole console)
        : base("create", "Create a .torrent file from a file or a folder.")
    {
        _console = console;
        Arguments.Add(_path);
        foreach (Option option in new Option[] { _output, _trackers, _webSeeds, _pieceSize, _private, _comment, _source, _name, _v1, _v2, _hybrid, _noDate, _includeHidden, _force })
        {
            Options.Add(option);
        }

        Validators.Add(result =>
        {
            int versions = new Option<bool>[] { _v1, _v2, _hybrid }.Count(o => result.GetValue(o));
            if (versions > 1)
            {
                result.AddError("--v1, --v2 and --hybrid exclude each other; give one.");
            }
        });
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string path = parse.GetRequiredValue(_path);
        string output = parse.GetRequiredValue(_output);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new CliException($"{path}: no such file or folder");
        }

        if (Directory.Exists(output))
        {
            throw new CliException($"{output}: is a folder; -o takes the path of the .torrent file to write");
        }

        string? outputFolder = Path.GetDirectoryName(Path.GetFullPath(output));
        if (outputFolder is not null && !Directory.Exists(outputFolder))
        {
            throw new CliException($"{output}: the folder {outputFolder} does not exist");
        }

        if (File.Exists(output) && !parse.GetValue(_force))
        {
            throw new CliException($"{output}: already exists (add --force to replace it)");
        }

        var options = new TorrentCreatorOptions
        {
            Version = parse.GetValue(_v1) ? TorrentVersion.V1 : parse.GetValue(_v2) ? TorrentVersion.V2 : TorrentVersion.Hybrid,
            PieceLength = parse.GetValue(_pieceSize),
            Trackers = parse.GetRequiredValue(_trackers),
            WebSeeds = parse.GetRequiredValue(_webSeeds),
            IsPrivate = parse.GetValue(_private),
            Comment = parse.GetValue(_comment),
            Source = parse.GetValue(_source),
            Name = parse.GetValue(_name),
            CreationDate = parse.GetValue(_noDate) ? null : DateTimeOffset.UtcNow,
            IncludeHiddenFiles = parse.GetValue(_includeHidden),
        };

        TorrentInfo torrent = await CreateAsync(_console, path, output, options, cancellationToken).ConfigureAwait(false);
        _console.Out.WriteLine($"Created {output}");
        InfoPrinter.WriteSummary(_console.Out, InfoReports.FromTorrent(torrent));
        return ExitCodes.Success;
    }

    /// <summary>Creates the torrent file, drawing hashing progress on stderr when it is a terminal.</summary>
    internal static async Task<TorrentInfo> CreateAsync(CliConsole console, string path, string output, TorrentCreatorOptions options, CancellationToken cancellationToken)
    {
        var progress = console.ErrorIsTerminal ? new HashingProgress(console.Error) : null;
        try
        {
            return await TorrentCreator.CreateFileAsync(path, output, options, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            progress?.Clear();
        }
    }
}
