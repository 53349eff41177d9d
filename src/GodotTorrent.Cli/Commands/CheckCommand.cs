using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GodotTorrent.Cli.Output;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>gdtorrent check &lt;file.torrent&gt; --data &lt;dir&gt; [--json]</c>: hashes the data on disk
/// against the torrent; exit code 0 only when every piece is valid.
/// </summary>
internal sealed class CheckCommand : Command
{
    private readonly CliConsole _console;

    private readonly Argument<string> _input = new("torrent") { Description = "The .torrent file." };

    private readonly Option<string> _data = new("--data", "-d")
    {
        Description = "The folder the data is saved in (a multi-file torrent's files are in <dir>/<name>/...; the torrent's own folder is accepted too).",
        Required = true,
        HelpName = "DIR",
    };

    private readonly Option<bool> _json = new("--json") { Description = "Print JSON (snake_case fields)." };

    public CheckCommand(CliConsole console)
        : base("check", "Verify data on disk against a torrent: valid pieces and how complete each file is. Exit code 0 only when all of it is valid.")
    {
        _console = console;
        Arguments.Add(_input);
        Options.Add(_data);
        Options.Add(_json);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TorrentInfo torrent = await TorrentInput.LoadTorrentAsync(parse.GetRequiredValue(_input), cancellationToken).ConfigureAwait(false);
        string folder = DataFolder.Resolve(torrent, parse.GetRequiredValue(_data));
        TorrentCheckResult result = await CheckAsync(torrent, folder, parse.GetValue(_json) ? null : _console, cancellationToken).ConfigureAwait(false);
        CheckReport report = ToReport(torrent, folder, result);

        if (parse.GetValue(_json))
        {
            _console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Output.CheckReport));
        }
        else
        {
            Write(_console.Out, report);
        }

        return report.Complete ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>
    /// Hashes every piece of <paramref name="torrent"/> in <paramref name="folder"/> (read only),
    /// with a <c>Checking 42%</c> line on <paramref name="console"/>'s stderr when it is a terminal
    /// (a big game's data takes a while, and a silent wait looks like a hang).
    /// </summary>
    /// <exception cref="CliException">Ctrl-C stopped the check: the message says how far it got.</exception>
    internal static async Task<TorrentCheckResult> CheckAsync(TorrentInfo torrent, string folder, CliConsole? console, CancellationToken cancellationToken)
    {
        var drawn = console is { ErrorIsTerminal: true } ? new HashingProgress(console.Error) : null;
        var progress = new LastProgress(new CheckProgress(0, torrent.PieceCount, 0, 0, torrent.TotalSize), drawn);
        var storage = new FileStorage(torrent, folder);
        try
        {
            await using (storage.ConfigureAwait(false))
            {
                return await new TorrentChecker(storage).CheckAsync(progress, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A big game's check takes minutes: say how far it got, as an interrupted download does.
            var last = progress.Last;
            throw new CliException($"cancelled while checking: {ByteSize.Format(last.BytesChecked)} of {ByteSize.Format(last.BytesToCheck)} checked, "
                + $"{last.ValidPieces.ToString(CultureInfo.InvariantCulture)} of {last.PiecesChecked.ToString(CultureInfo.InvariantCulture)} pieces valid so far");
        }
        finally
        {
            drawn?.Clear();
        }
    }

    // The checker reports under its own lock, in order, so the last value seen is the furthest.
    private sealed class LastProgress(CheckProgress start, IProgress<CheckProgress>? next) : IProgress<CheckProgress>
    {
        public CheckProgress Last { get; private set; } = start;

        public void Report(CheckProgress value)
        {
            Last = value;
            next?.Report(value);
        }
    }

    /// <summary>Resume data that says what a check found, with the files' sizes and times as they are now.</summary>
    internal static async Task<ResumeData> ToResumeDataAsync(TorrentInfo torrent, string folder, TorrentCheckResult result)
    {
        var storage = new FileStorage(torrent, folder);
        await using (storage.ConfigureAwait(false))
        {
            return new ResumeData
            {
                InfoHashes = torrent.InfoHashes,
                SavePath = Path.GetFullPath(folder),
                Pieces = result.Pieces,
                Files = ResumeDataStore.CaptureFileStates(storage),
                AddedTime = DateTimeOffset.UtcNow,
            };
        }
    }

    internal static CheckReport ToReport(TorrentInfo torrent, string folder, TorrentCheckResult result) => new(
        torrent.Name,
        folder,
        result.ValidPieces,
        result.TotalPieces,
        result.AreWantedPiecesValid(),
        result.Files.Select(f => new CheckFileReport(f.Path, f.Length, f.ValidBytes, Math.Round(f.Progress, 4), f.IsComplete, f.Error?.Message)).ToList());

    private static void Write(TextWriter output, CheckReport report)
    {
        output.WriteLine($"Checked {report.Name} in {report.DataFolder}");
        output.WriteLine($"Pieces: {Count(report.ValidPieces)} of {Count(report.TotalPieces)} valid ({Percent(report.TotalPieces == 0 ? 1 : (double)report.ValidPieces / report.TotalPieces)})");
        foreach (var file in report.Files)
        {
            string state = file.Complete ? "complete  " : "incomplete";
            string error = file.Error is null ? "" : $"  ({file.Error})";
            output.WriteLine($"  {Percent(file.Progress).PadLeft(6)}  {state}  {file.Path} ({ByteSize.Format(file.Length)}){error}");
        }

        int bad = report.TotalPieces - report.ValidPieces;
        output.WriteLine(report.Complete ? "Result: complete, every piece is valid" : $"Result: incomplete, {Count(bad)} piece(s) missing or corrupt");
    }

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
