using System.CommandLine;

namespace GodotTorrent.Cli.Commands;

/// <summary><c>gdtorrent magnet &lt;file.torrent&gt;</c>: the torrent's magnet link on one line.</summary>
internal sealed class MagnetCommand : Command
{
    private readonly CliConsole _console;

    private readonly Argument<string> _input = new("torrent")
    {
        Description = "A .torrent file (a magnet link is accepted too and printed in canonical form).",
    };

    public MagnetCommand(CliConsole console)
        : base("magnet", "Print the magnet link of a .torrent file: info-hashes, name, trackers and web seeds.")
    {
        _console = console;
        Arguments.Add(_input);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string input = parse.GetRequiredValue(_input);
        string uri = TorrentInput.IsMagnet(input)
            ? TorrentInput.ParseMagnet(input, allowWithoutInfoHash: true).ToUri()
            : (await TorrentInput.LoadTorrentAsync(input, cancellationToken).ConfigureAwait(false)).ToMagnet().ToUri();
        _console.Out.WriteLine(uri);
        return ExitCodes.Success;
    }
}
