using System.CommandLine;
using System.Text.Json;
using GodotTorrent.Cli.Output;

namespace GodotTorrent.Cli.Commands;

/// <summary><c>gdtorrent info &lt;file.torrent|magnet&gt; [--json]</c>: what a torrent or magnet link describes.</summary>
internal sealed class InfoCommand : Command
{
    private readonly CliConsole _console;

    private readonly Argument<string> _input = new("torrent")
    {
        Description = "A .torrent file, or a magnet link (quote it: it contains '&').",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print JSON (snake_case fields; fields a magnet link cannot know are null).",
    };

    public InfoCommand(CliConsole console)
        : base("info", "Show a torrent's name, info-hashes, size, pieces, files, trackers and web seeds.")
    {
        _console = console;
        Arguments.Add(_input);
        Options.Add(_json);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string input = parse.GetRequiredValue(_input);
        InfoReport report = TorrentInput.IsMagnet(input)
            ? InfoReports.FromMagnet(TorrentInput.ParseMagnet(input))
            : InfoReports.FromTorrent(await TorrentInput.LoadTorrentAsync(input, cancellationToken).ConfigureAwait(false));

        if (parse.GetValue(_json))
        {
            _console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Output.InfoReport));
        }
        else
        {
            InfoPrinter.Write(_console.Out, report);
        }

        return ExitCodes.Success;
    }
}
