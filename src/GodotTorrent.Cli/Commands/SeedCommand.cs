using System.CommandLine;
using System.Globalization;
using GodotTorrent.Cli.Output;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>gdtorrent seed &lt;file.torrent&gt; --data &lt;dir&gt; [...]</c>: checks the data, then
/// uploads it to whoever connects (and to the <c>--peer</c> peers, which it dials itself) until
/// the timeout, Ctrl-C or a seeding goal (<c>--seed-ratio</c>, <c>--seed-time</c>).
/// </summary>
internal sealed class SeedCommand : Command
{
    private readonly CliConsole _console;
    private readonly NetworkOptions _network = new();
    private readonly SeedGoalOptions _goals = new();

    private readonly Argument<string> _input = new("torrent") { Description = "The .torrent file." };

    private readonly Option<string> _data = new("--data", "-d")
    {
        Description = "The folder the data is saved in (a multi-file torrent's files are in <dir>/<name>/...; the torrent's own folder is accepted too).",
        Required = true,
        HelpName = "DIR",
    };

    public SeedCommand(CliConsole console)
        : base("seed", "Check complete data against a torrent, then seed it until --timeout, Ctrl-C or a seeding goal (--seed-ratio, --seed-time).")
    {
        _console = console;
        Arguments.Add(_input);
        Options.Add(_data);
        _network.AddTo(this);
        _goals.AddTo(this);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TorrentInfo torrent = await TorrentInput.LoadTorrentAsync(parse.GetRequiredValue(_input), cancellationToken).ConfigureAwait(false);
        string folder = DataFolder.Resolve(torrent, parse.GetRequiredValue(_data));
        bool json = parse.GetValue(_network.Json);
        int timeout = parse.GetValue(_network.Timeout);

        // Check read-only first: the engine would create missing files in a wrong folder.
        TorrentCheckResult check = await CheckCommand.CheckAsync(torrent, folder, json ? null : _console, cancellationToken).ConfigureAwait(false);
        if (!check.AreWantedPiecesValid())
        {
            var incomplete = check.Files.Where(f => !f.IsComplete).Select(f => f.Path).ToList();
            throw new CliException(
                $"{folder}: the data is incomplete: {check.ValidPieces.ToString(CultureInfo.InvariantCulture)} of {check.TotalPieces.ToString(CultureInfo.InvariantCulture)} pieces valid; "
                + $"incomplete: {string.Join(", ", incomplete.Take(5))}{(incomplete.Count > 5 ? ", ..." : "")} (see 'gdtorrent check')");
        }

        var peers = await _network.ResolvePeersAsync(parse, cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > 0)
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(timeout));
        }

        var session = new TorrentSession(_network.Settings(parse));
        var portMaps = PortMapLines.Watch(_console, session.Alerts, json);
        var errors = SourceErrors.Watch(_console, session.Alerts, json);
        await using (session.ConfigureAwait(false))
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
            NetworkOptions.EnsureListening(session);
            NetworkOptions.ReportListening(_console, session, json);
            portMaps.Release();
            // The check above is handed over as resume data, so the engine trusts it instead of hashing everything again.
            var add = _goals.Apply(parse, new AddTorrentParams
            {
                Torrent = torrent,
                SavePath = folder,
                UploadRateLimit = parse.GetValue(_network.MaxUp),
                ResumeData = await CheckCommand.ToResumeDataAsync(torrent, folder, check).ConfigureAwait(false),
            });
            var goal = _goals.Any(parse) ? new SeedGoalWatch(session) : null;
            TorrentHandle handle = await session.AddTorrentAsync(add, cancellationToken).ConfigureAwait(false);
            var watch = new TransferWatch(_console, handle, peers, json, errors: errors);
            if (!json)
            {
                _console.Error.WriteLine($"Seeding {torrent.Name} ({ByteSize.Format(torrent.TotalSize)}) from {folder} "
                    + (timeout > 0 ? $"for {timeout.ToString(CultureInfo.InvariantCulture)} s (Ctrl-C stops)" : "until Ctrl-C"));
            }

            // Seeding ends by cancellation (timeout or Ctrl-C) or a goal; an engine error throws.
            Func<TorrentStatus, bool> until = goal is null ? _ => false : SeedGoalWatch.IsReached;
            TorrentStatus? reached = json
                ? await watch.RunAsync(null, until, deadline.Token).ConfigureAwait(false)
                : await LiveProgress.RunAsync(_console, [torrent.Name], rows => watch.RunAsync(rows, until, deadline.Token)).ConfigureAwait(false);

            TorrentStatus last = await handle.GetStatusAsync(CancellationToken.None).ConfigureAwait(false);
            string? why = reached is not null && goal is not null ? await goal.DescribeAsync().ConfigureAwait(false) : null;
            watch.Emit(why is null ? "stopped" : "seed_goal_reached", last);
            if (!json)
            {
                _console.Out.WriteLine($"Seeded {torrent.Name} for {watch.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s: uploaded {ByteSize.Format(last.TotalPayloadUpload)}"
                    + (why is null ? string.Empty : $"; stopped: {why}"));
            }
        }

        return ExitCodes.Success;
    }
}
