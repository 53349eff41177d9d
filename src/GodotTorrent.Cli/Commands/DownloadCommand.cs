using System.CommandLine;
using System.Globalization;
using System.Net;
using GodotTorrent.Cli.Output;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>gdtorrent download &lt;file.torrent|magnet&gt;... --out &lt;dir&gt; [...]</c>: downloads one or
/// more torrents with one session, a progress row and a summary each; exit code 0 only when every
/// wanted piece of every torrent is downloaded and verified.
/// </summary>
internal sealed class DownloadCommand : Command
{
    private readonly CliConsole _console;
    private readonly NetworkOptions _network = new();
    private readonly SelectionOptions _selection = new();
    private readonly WebSeedOptions _webSeeds = new();
    private readonly SeedGoalOptions _goals = new();
    private readonly ReuseOptions _reuse = new();

    private readonly Argument<string[]> _inputs = new("torrent")
    {
        Description = "One or more .torrent files or magnet links (quote a magnet: it contains '&'), downloaded together.",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<string> _out = new("--out", "-o")
    {
        Description = "The folder to save into (created when needed; a multi-file torrent goes into <dir>/<name>/).",
        Required = true,
        HelpName = "DIR",
    };

    private readonly Option<bool> _seedAfter = new("--seed-after")
    {
        Description = "After the download completes, keep seeding until --timeout or Ctrl-C.",
    };

    private readonly Option<bool> _follow = new("--follow")
    {
        Description = "With a BEP 46 magnet (xs=urn:btpk:): after the current version completes, keep following the channel until Ctrl-C; "
            + "each new version replaces the old in the same folder (unchanged pieces are kept) and prints 'version N: <info-hash> complete'.",
    };

    private readonly Option<int> _followInterval = new("--follow-interval")
    {
        Description = "With --follow: seconds between reads of the channel (5 to 86400; default 300).",
        CustomParser = CommandLineValues.IntInRange("--follow-interval", 5, 86_400, 300),
        DefaultValueFactory = _ => 300,
        HelpName = "SECONDS",
    };

    private readonly Option<long> _maxDown = new("--max-down")
    {
        Description = "Download limit in bytes per second (500K, 2M); 0 or absent: unlimited.",
        CustomParser = CommandLineValues.Rate("--max-down"),
        HelpName = "B/s",
    };

    public DownloadCommand(CliConsole console)
        : base("download", "Download torrents or magnet links from peers and web seeds; exit code 0 only when every file is complete and verified.")
    {
        _console = console;
        // Help lists the options as added: source, storage, selection, network, limits, output.
        Arguments.Add(_inputs);
        Options.Add(_out);
        _reuse.AddTo(this);
        _selection.AddTo(this);
        _network.AddNetworkTo(this);
        _webSeeds.AddTo(this);
        Options.Add(_maxDown);
        _network.AddLimitsTo(this);
        Options.Add(_seedAfter);
        _goals.AddTo(this);
        Options.Add(_follow);
        Options.Add(_followInterval);
        _network.AddOutputTo(this);
        Validators.Add(result =>
        {
            if (result.GetResult(_followInterval) is { Implicit: false } && !result.GetValue(_follow))
            {
                result.AddError("--follow-interval goes with --follow.");
            }

            if (result.GetValue(_follow) && (result.GetValue(_goals.Ratio) is not null || result.GetValue(_goals.Time) is not null))
            {
                result.AddError("--seed-ratio and --seed-time do not go with --follow: a channel is followed until Ctrl-C.");
            }

            if (result.GetValue(_follow) && result.GetValue(_inputs) is { Length: > 1 })
            {
                result.AddError("--follow follows one channel: give one magnet link.");
            }

            // File numbers belong to one torrent: the same list over several would pick unrelated files.
            if (result.GetResult(_selection.Select) is { Implicit: false } && result.GetValue(_inputs) is { Length: > 1 })
            {
                result.AddError("--select numbers the files of one torrent: give one torrent, or run one download per torrent.");
            }
        });
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string folder = Path.GetFullPath(parse.GetRequiredValue(_out));
        bool json = parse.GetValue(_network.Json);
        int timeout = parse.GetValue(_network.Timeout);

        var adds = new List<AddTorrentParams>();
        foreach (string input in parse.GetRequiredValue(_inputs))
        {
            adds.Add(await TorrentInput.ToAddParamsAsync(input, folder, allowWithoutInfoHash: !parse.GetValue(_network.NoDht), cancellationToken).ConfigureAwait(false));
        }

        bool follow = parse.GetValue(_follow);
        if (follow && adds[0].Magnet is not { HasInfoHashes: false })
        {
            throw new CliException("--follow takes a BEP 46 magnet link (xs=urn:btpk:...): there is no channel to follow in " + (adds[0].Magnet is null ? "a .torrent file" : "a magnet with an info-hash"));
        }

        TorrentInput.EnsureNotAFile(folder);

        var peers = await _network.ResolvePeersAsync(parse, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < adds.Count; i++)
        {
            adds[i] = await _reuse.ApplyAsync(parse, adds[i], cancellationToken).ConfigureAwait(false);
        }

        adds = adds.Select(add => _selection.Apply(parse, _goals.Apply(parse, add with
        {
            Peers = peers,
        }))).ToList();
        Directory.CreateDirectory(folder);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > 0)
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(timeout));
        }

        // The limits are the session's, so several torrents share them as the help says.
        var session = new TorrentSession(_webSeeds.Apply(parse, _network.Settings(parse)) with
        {
            DownloadRateLimit = parse.GetValue(_maxDown),
            UploadRateLimit = parse.GetValue(_network.MaxUp),
            DhtFollowInterval = TimeSpan.FromSeconds(parse.GetValue(_followInterval)),
        });
        var portMaps = PortMapLines.Watch(_console, session.Alerts, json);
        var errors = SourceErrors.Watch(_console, session.Alerts, json);
        await using (session.ConfigureAwait(false))
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
            NetworkOptions.EnsureListening(session);
            NetworkOptions.ReportListening(_console, session, json);
            portMaps.Release();
            var failures = new HandshakeFailures(session);
            var reused = _reuse.WatchFor(parse, session);
            using var following = follow ? new ChannelFollow(_console, session, adds[0], json) : null;
            if (!json && adds[0].Magnet is { HasInfoHashes: false })
            {
                // Resolving a channel can take a while on a DHT still joining: say what is happening.
                _console.Error.WriteLine($"Looking up the update channel's current version on the DHT (up to {GodotTorrent.Discovery.DhtFollower.ResolveTimeout.TotalSeconds:0} s)...");
            }

            var runs = new List<DownloadRun>();
            foreach (var add in adds)
            {
                TorrentHandle handle = await session.AddTorrentAsync(add, cancellationToken).ConfigureAwait(false);
                await _webSeeds.AddToAsync(parse, handle, cancellationToken).ConfigureAwait(false);
                var goal = _goals.Any(parse) ? new SeedGoalWatch(session, handle) : null;
                // A magnet's dn is whatever its author wrote, control characters included.
                string name = TerminalText.Printable(add.Torrent?.Name ?? add.Magnet?.DisplayName ?? handle.Name);
                runs.Add(new DownloadRun(add, handle, name, new TransferWatch(_console, handle, peers, json, runs.Count, errors), goal));
            }

            var names = runs.Select(r => r.Name).ToList();
            var results = json
                ? await DownloadAllAsync(parse, runs, null, deadline.Token).ConfigureAwait(false)
                : await LiveProgress.RunAsync(_console, names, rows => DownloadAllAsync(parse, runs, rows, deadline.Token)).ConfigureAwait(false);
            errors.Flush((IProgressRows?)null);

            var incomplete = new List<string>();
            for (int i = 0; i < runs.Count; i++)
            {
                var (run, (done, error)) = (runs[i], results[i]);
                if (done is not null)
                {
                    await (reused?.ReportAsync(_console, run.Handle, done, json) ?? Task.CompletedTask).ConfigureAwait(false);
                    run.Watch.Emit("complete", done);
                    if (!json)
                    {
                        // The time this torrent took (others may finish later); the rate is of what came over
                        // the network, so data reused or resumed from disk does not inflate it.
                        double seconds = Math.Max((run.Watch.ReachedAfter ?? run.Watch.Elapsed).TotalSeconds, 0.001);
                        string fetched = done.TotalPayloadDownload < done.TotalWanted ? $"{ByteSize.Format(done.TotalPayloadDownload)} fetched, " : string.Empty;
                        _console.Out.WriteLine(
                            $"Downloaded {done.Name}: {ByteSize.Format(done.TotalWanted)} in {seconds.ToString("0.0", CultureInfo.InvariantCulture)} s "
                            + $"({fetched}{ByteSize.Format((long)(done.TotalPayloadDownload / seconds))}/s), every piece verified, saved in {folder}");
                    }

                    continue;
                }

                if (error is null)
                {
                    TorrentStatus last = await run.Handle.GetStatusAsync(CancellationToken.None).ConfigureAwait(false);
                    bool stopped = cancellationToken.IsCancellationRequested;
                    error = stopped
                        ? $"cancelled: {ProgressText.Pieces(last)}"
                        : $"timed out after {timeout.ToString(CultureInfo.InvariantCulture)} s: {ProgressText.Pieces(last)}{failures.Describe(session.Settings)}";
                    run.Watch.Emit(stopped ? "stopped" : "timeout", last, error);
                }

                incomplete.Add(runs.Count == 1 ? error : $"{run.Name}: {error}");
            }

            if (incomplete.Count > 0)
            {
                foreach (string line in incomplete.SkipLast(1))
                {
                    _console.Error.WriteLine(line);
                }

                throw new CliException(runs.Count == 1 ? incomplete[0] : $"{incomplete[^1]} ({incomplete.Count.ToString(CultureInfo.InvariantCulture)} of {runs.Count.ToString(CultureInfo.InvariantCulture)} torrents incomplete)");
            }

            if (following is not null)
            {
                following.Completed(runs[0].Handle, results[0].Done!);
                return await FollowAsync(following, runs[0].Handle, peers, json, timeout, deadline.Token, cancellationToken).ConfigureAwait(false);
            }

            if (runs[0].Goal is not null || parse.GetValue(_seedAfter))
            {
                await SeedAsync(runs, json, timeout, deadline.Token).ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }

    // Every torrent at once, each to its end: complete, an engine error (its message), or the deadline (neither).
    private async Task<(TorrentStatus? Done, string? Error)[]> DownloadAllAsync(ParseResult parse, List<DownloadRun> runs, IProgressRows? rows, CancellationToken deadline)
    {
        return await Task.WhenAll(runs.Select(DownloadOneAsync)).ConfigureAwait(false);

        async Task<(TorrentStatus? Done, string? Error)> DownloadOneAsync(DownloadRun run)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline);
            Task selecting = SelectAsync(run, stop);
            try
            {
                var done = await run.Watch.RunAsync(rows, IsComplete, stop.Token).ConfigureAwait(false);
                if (done is null && !deadline.IsCancellationRequested)
                {
                    // Only a failed --select stops a watch before the deadline: say why.
                    await selecting.ConfigureAwait(false);
                }

                return (done, null);
            }
            catch (CliException ex)
            {
                return (null, ex.Message);
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }

        async Task SelectAsync(DownloadRun run, CancellationTokenSource stop)
        {
            try
            {
                await _selection.ApplyAfterMetadataAsync(parse, run.Add, run.Handle, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (UsageException)
            {
                // A magnet's --select past its last file: stop its watch, which then reports this.
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    // --seed-after, --seed-ratio, --seed-time: every torrent seeds until its goal (if any), the timeout or Ctrl-C; all exit 0.
    private async Task SeedAsync(List<DownloadRun> runs, bool json, int timeout, CancellationToken deadline)
    {
        bool goals = runs[0].Goal is not null;
        if (!json)
        {
            _console.Error.WriteLine(goals
                ? "Seeding until the seeding goal" + (timeout > 0 ? ", the timeout" : string.Empty) + " or Ctrl-C"
                : timeout > 0 ? "Seeding until the timeout (Ctrl-C stops)" : "Seeding until Ctrl-C");
        }

        Func<TorrentStatus, bool> until = goals ? SeedGoalWatch.IsReached : _ => false;
        var reached = json
            ? await Task.WhenAll(runs.Select(r => r.Watch.RunAsync(null, until, deadline))).ConfigureAwait(false)
            : await LiveProgress.RunAsync(_console, runs.Select(r => r.Name).ToList(), rows => Task.WhenAll(runs.Select(r => r.Watch.RunAsync(rows, until, deadline)))).ConfigureAwait(false);
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            TorrentStatus last = await run.Handle.GetStatusAsync(CancellationToken.None).ConfigureAwait(false);
            if (reached[i] is null || run.Goal is null)
            {
                run.Watch.Emit("stopped", last);
                continue;
            }

            string why = await run.Goal.DescribeAsync().ConfigureAwait(false);
            run.Watch.Emit("seed_goal_reached", last);
            if (!json)
            {
                _console.Out.WriteLine($"Stopped seeding {last.Name}: {why}; uploaded {ByteSize.Format(last.AllTimeUpload)}");
            }
        }
    }

    // --follow: the end while waiting for the next version is the normal end; mid-download it fails as download does.
    private async Task<int> FollowAsync(ChannelFollow following, TorrentHandle first, IReadOnlyList<IPEndPoint> peers, bool json, int timeout, CancellationToken deadline, CancellationToken interrupted)
    {
        if (!json)
        {
            _console.Error.WriteLine(timeout > 0 ? "Following the channel until the timeout (Ctrl-C stops)" : "Following the channel until Ctrl-C");
        }

        var (handle, status) = await following.RunAsync(
            first,
            (next, stop) =>
            {
                var watch = new TransferWatch(_console, next, peers, json);
                return json
                    ? watch.RunAsync(null, IsComplete, stop)
                    : LiveProgress.RunAsync(_console, [next.Name], rows => watch.RunAsync(rows, IsComplete, stop));
            },
            deadline).ConfigureAwait(false);
        var report = new TransferWatch(_console, handle, peers, json);
        if (status is not null && IsComplete(status))
        {
            report.Emit("stopped", status);
            return ExitCodes.Success;
        }

        var last = await handle.GetStatusAsync(CancellationToken.None).ConfigureAwait(false);
        bool stopped = interrupted.IsCancellationRequested;
        string message = stopped
            ? $"cancelled: {ProgressText.Pieces(last)}"
            : $"timed out after {timeout.ToString(CultureInfo.InvariantCulture)} s: {ProgressText.Pieces(last)}";
        report.Emit(stopped ? "stopped" : "timeout", last, message);
        throw new CliException(message);
    }

    private static bool IsComplete(TorrentStatus status) =>
        status.HasMetadata && status.IsFinished && status.State is TorrentState.Seeding or TorrentState.Finished;

    private sealed record DownloadRun(AddTorrentParams Add, TorrentHandle Handle, string Name, TransferWatch Watch, SeedGoalWatch? Goal);
}
