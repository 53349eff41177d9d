using System.CommandLine;
using System.Globalization;
using System.Net;
using GodotTorrent.Cli.Output;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>gdtorrent download &lt;file.torrent|magnet&gt; --out &lt;dir&gt; [...]</c>: downloads a
/// torrent with one session; exit code 0 only when every wanted piece is downloaded and verified.
/// </summary>
internal sealed class DownloadCommand : Command
{
    private readonly CliConsole _console;
    private readonly NetworkOptions _network = new();
    private readonly SeedGoalOptions _goals = new();
    private readonly ReuseOptions _reuse = new();

    private readonly Argument<string> _input = new("torrent")
    {
        Description = "A .torrent file, or a magnet link (quote it: it contains '&').",
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

    private readonly Option<IReadOnlyList<string>> _webSeeds = new("--web-seed", "-w")
    {
        Description = "Also download from this HTTP(S) web seed (BEP 19); repeatable. The torrent's own web seeds are used anyway.",
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = CommandLineValues.ParseWebSeeds,
        DefaultValueFactory = _ => [],
        HelpName = "URL",
    };

    private readonly Option<bool> _noWebSeeds = new("--no-web-seeds")
    {
        Description = "Ignore every web seed (the torrent's and --web-seed): download from peers only.",
    };

    public DownloadCommand(CliConsole console)
        : base("download", "Download a torrent or magnet link from peers and web seeds; exit code 0 only when every file is complete and verified.")
    {
        _console = console;
        Arguments.Add(_input);
        Options.Add(_out);
        _network.AddTo(this);
        Options.Add(_maxDown);
        Options.Add(_seedAfter);
        _goals.AddTo(this);
        _reuse.AddTo(this);
        Options.Add(_webSeeds);
        Options.Add(_noWebSeeds);
        Options.Add(_follow);
        Options.Add(_followInterval);
        Validators.Add(result =>
        {
            if (result.GetValue(_noWebSeeds) && result.GetValue(_webSeeds) is { Count: > 0 })
            {
                result.AddError("--web-seed and --no-web-seeds contradict each other: give one or the other.");
            }

            if (result.GetResult(_followInterval) is { Implicit: false } && !result.GetValue(_follow))
            {
                result.AddError("--follow-interval goes with --follow.");
            }

            if (result.GetValue(_follow) && (result.GetValue(_goals.Ratio) is not null || result.GetValue(_goals.Time) is not null))
            {
                result.AddError("--seed-ratio and --seed-time do not go with --follow: a channel is followed until Ctrl-C.");
            }
        });
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string input = parse.GetRequiredValue(_input);
        string folder = Path.GetFullPath(parse.GetRequiredValue(_out));
        bool json = parse.GetValue(_network.Json);
        int timeout = parse.GetValue(_network.Timeout);

        var add = TorrentInput.IsMagnet(input)
            ? new AddTorrentParams { Magnet = TorrentInput.ParseMagnet(input, allowWithoutInfoHash: !parse.GetValue(_network.NoDht)), SavePath = folder }
            : new AddTorrentParams { Torrent = await TorrentInput.LoadTorrentAsync(input, cancellationToken).ConfigureAwait(false), SavePath = folder };
        bool follow = parse.GetValue(_follow);
        if (follow && add.Magnet is not { HasInfoHashes: false })
        {
            throw new CliException("--follow takes a BEP 46 magnet link (xs=urn:btpk:...): there is no channel to follow in " + (add.Magnet is null ? "a .torrent file" : "a magnet with an info-hash"));
        }

        if (File.Exists(folder))
        {
            throw new CliException($"{folder}: is a file; --out takes a folder");
        }

        Directory.CreateDirectory(folder);
        var peers = await _network.ResolvePeersAsync(parse, cancellationToken).ConfigureAwait(false);
        add = await _reuse.ApplyAsync(parse, add, cancellationToken).ConfigureAwait(false);
        add = _goals.Apply(parse, add with
        {
            Peers = peers,
            DownloadRateLimit = parse.GetValue(_maxDown),
            UploadRateLimit = parse.GetValue(_network.MaxUp),
        });

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > 0)
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(timeout));
        }

        var session = new TorrentSession(_network.Settings(parse) with
        {
            EnableWebSeeds = !parse.GetValue(_noWebSeeds),
            DhtFollowInterval = TimeSpan.FromSeconds(parse.GetValue(_followInterval)),
        });
        var portMaps = PortMapLines.Watch(_console, session.Alerts, json);
        await using (session.ConfigureAwait(false))
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
            NetworkOptions.EnsureListening(session);
            NetworkOptions.ReportListening(_console, session, json);
            portMaps.Release();
            var failures = new HandshakeFailures(session);
            var goal = _goals.Any(parse) ? new SeedGoalWatch(session) : null;
            var reused = _reuse.WatchFor(parse, session);
            using var following = follow ? new ChannelFollow(_console, session, add, json) : null;
            if (!json && add.Magnet is { HasInfoHashes: false })
            {
                // Resolving a channel can take a while on a DHT still joining: say what is happening.
                _console.Error.WriteLine($"Looking up the update channel's current version on the DHT (up to {GodotTorrent.Discovery.DhtFollower.ResolveTimeout.TotalSeconds:0} s)...");
            }

            TorrentHandle handle = await session.AddTorrentAsync(add, cancellationToken).ConfigureAwait(false);
            foreach (string url in parse.GetRequiredValue(_webSeeds))
            {
                await handle.AddWebSeedAsync(url, cancellationToken).ConfigureAwait(false);
            }

            var watch = new TransferWatch(_console, handle, peers, json);
            string name = add.Torrent?.Name ?? add.Magnet?.DisplayName ?? handle.Name;

            TorrentStatus? done = json
                ? await watch.RunAsync(null, IsComplete, deadline.Token).ConfigureAwait(false)
                : await LiveProgress.RunAsync(_console, [name], rows => watch.RunAsync(rows, IsComplete, deadline.Token)).ConfigureAwait(false);

            if (done is null)
            {
                TorrentStatus last = await handle.GetStatusAsync(CancellationToken.None).ConfigureAwait(false);
                string reason = cancellationToken.IsCancellationRequested ? "stopped" : "timeout";
                string message = reason == "stopped"
                    ? $"cancelled: {Progress(last)}"
                    : $"timed out after {timeout.ToString(CultureInfo.InvariantCulture)} s: {Progress(last)}{failures.Describe(session.Settings)}";
                watch.Emit(reason, last, message);
                throw new CliException(message);
            }

            await (reused?.ReportAsync(_console, done, json) ?? Task.CompletedTask).ConfigureAwait(false);
            watch.Emit("complete", done);
            if (!json)
            {
                double seconds = Math.Max(watch.Elapsed.TotalSeconds, 0.001);
                _console.Out.WriteLine(
                    $"Downloaded {done.Name}: {ByteSize.Format(done.TotalWanted)} in {seconds.ToString("0.0", CultureInfo.InvariantCulture)} s "
                    + $"({ByteSize.Format((long)(done.TotalWanted / seconds))}/s), every piece verified, saved in {folder}");
            }

            if (following is not null)
            {
                following.Completed(handle, done);
                return await FollowAsync(following, handle, peers, json, timeout, deadline.Token, cancellationToken).ConfigureAwait(false);
            }

            if (goal is not null)
            {
                await SeedUntilGoalAsync(goal, watch, handle, name, json, timeout, deadline.Token).ConfigureAwait(false);
            }
            else if (parse.GetValue(_seedAfter))
            {
                if (!json)
                {
                    _console.Error.WriteLine(timeout > 0 ? "Seeding until the timeout (Ctrl-C stops)" : "Seeding until Ctrl-C");
                }

                // The watch only ends by cancellation (timeout or Ctrl-C): the normal end of seeding.
                _ = json
                    ? await watch.RunAsync(null, _ => false, deadline.Token).ConfigureAwait(false)
                    : await LiveProgress.RunAsync(_console, [name], rows => watch.RunAsync(rows, _ => false, deadline.Token)).ConfigureAwait(false);
                watch.Emit("stopped", await handle.GetStatusAsync(CancellationToken.None).ConfigureAwait(false));
            }
        }

        return ExitCodes.Success;
    }

    // --seed-ratio/--seed-time: seeding ends with the goal, or (as --seed-after) with the timeout or Ctrl-C; both are exit 0.
    private async Task SeedUntilGoalAsync(SeedGoalWatch goal, TransferWatch watch, TorrentHandle handle, string name, bool json, int timeout, CancellationToken deadline)
    {
        if (!json)
        {
            _console.Error.WriteLine("Seeding until the seeding goal" + (timeout > 0 ? ", the timeout" : string.Empty) + " or Ctrl-C");
        }

        TorrentStatus? reached = json
            ? await watch.RunAsync(null, SeedGoalWatch.IsReached, deadline).ConfigureAwait(false)
            : await LiveProgress.RunAsync(_console, [name], rows => watch.RunAsync(rows, SeedGoalWatch.IsReached, deadline)).ConfigureAwait(false);
        TorrentStatus last = await handle.GetStatusAsync(CancellationToken.None).ConfigureAwait(false);
        if (reached is null)
        {
            watch.Emit("stopped", last);
            return;
        }

        string why = await goal.DescribeAsync().ConfigureAwait(false);
        watch.Emit("seed_goal_reached", last);
        if (!json)
        {
            _console.Out.WriteLine($"Stopped seeding {last.Name}: {why}; uploaded {ByteSize.Format(last.AllTimeUpload)}");
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
            ? $"cancelled: {Progress(last)}"
            : $"timed out after {timeout.ToString(CultureInfo.InvariantCulture)} s: {Progress(last)}";
        report.Emit(stopped ? "stopped" : "timeout", last, message);
        throw new CliException(message);
    }

    private static bool IsComplete(TorrentStatus status) =>
        status.HasMetadata && status.IsFinished && status.State is TorrentState.Seeding or TorrentState.Finished;

    private static string Progress(TorrentStatus status) =>
        $"{status.PiecesDone.ToString(CultureInfo.InvariantCulture)} of {status.PieceCount.ToString(CultureInfo.InvariantCulture)} pieces "
        + $"({(status.Progress * 100).ToString("0.0", CultureInfo.InvariantCulture)}%), {status.PeerCount.ToString(CultureInfo.InvariantCulture)} peer(s)";
}
