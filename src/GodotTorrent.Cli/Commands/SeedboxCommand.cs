using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GodotTorrent.Cli.Output;
using GodotTorrent.Session;
using Spectre.Console;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>gdtorrent seedbox &lt;folder&gt;</c>: seeds every .torrent file in a folder, its data next to
/// it (or in <c>--data</c>), picks up files added later and drops those deleted, and keeps each
/// torrent's resume data in a state folder so a restart does not hash again. Runs until the
/// timeout or Ctrl-C, both exit 0.
/// </summary>
internal sealed class SeedboxCommand : Command
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly CliConsole _console;
    private readonly NetworkOptions _network = new();

    private readonly Argument<string> _folder = new("folder")
    {
        Description = "The folder of .torrent files to seed (only the folder itself, not its subfolders, is searched).",
    };

    private readonly Option<string?> _data = new("--data", "-d")
    {
        Description = "The folder the torrents' data is saved in (a multi-file torrent's files in <dir>/<name>/...); default: the torrents' folder, so game.torrent seeds the folder game/ beside it.",
        HelpName = "DIR",
    };

    private readonly Option<string?> _state = new("--state")
    {
        Description = "The folder for the seedbox's state (each torrent's resume data, so a restart does not hash the data again); default: <folder>/.gdtorrent-seedbox.",
        HelpName = "DIR",
    };

    private readonly Option<int> _poll = new("--poll")
    {
        Description = "Seconds between looks at the folder for added and deleted .torrent files (1 to 3600; default 5); also how often the status is written to a log or as JSON.",
        CustomParser = CommandLineValues.IntInRange("--poll", 1, 3600, 5),
        DefaultValueFactory = _ => 5,
        HelpName = "SECONDS",
    };

    public SeedboxCommand(CliConsole console)
        : base("seedbox", "Seed every .torrent in a folder (and those added later) until Ctrl-C, with a status table; a restart resumes without hashing.")
    {
        _console = console;
        Arguments.Add(_folder);
        Options.Add(_data);
        Options.Add(_state);
        Options.Add(_poll);
        _network.AddNetworkTo(this);
        _network.AddLimitsTo(this);
        _network.AddOutputTo(this);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string folder = Existing(parse.GetRequiredValue(_folder), "the torrents' folder");
        string data = parse.GetValue(_data) is { } d ? Existing(d, "--data") : folder;
        string state = Path.GetFullPath(parse.GetValue(_state) ?? SeedboxFolder.DefaultState(folder));
        string resume = Path.Combine(state, "resume");
        Directory.CreateDirectory(resume);
        bool json = parse.GetValue(_network.Json);
        int timeout = parse.GetValue(_network.Timeout);
        var poll = TimeSpan.FromSeconds(parse.GetValue(_poll));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > 0)
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(timeout));
        }

        // The session writes each torrent's resume data there when it changes and when it stops.
        var session = new TorrentSession(_network.Settings(parse), new TorrentSessionOptions { ResumeDataFolder = resume });
        var portMaps = PortMapLines.Watch(_console, session.Alerts, json);
        var errors = SourceErrors.Watch(_console, session.Alerts, json);
        var torrents = new SeedboxTorrents(_console, session, data, resume, parse.GetValue(_network.MaxUp), json);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (session.ConfigureAwait(false))
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
            NetworkOptions.EnsureListening(session);
            NetworkOptions.ReportListening(_console, session, json);
            portMaps.Release();
            if (!json)
            {
                _console.Error.WriteLine($"Seeding the torrents in {folder} (data in {data}, state in {state}) "
                    + (timeout > 0 ? $"for {timeout.ToString(CultureInfo.InvariantCulture)} s (Ctrl-C stops)" : "until Ctrl-C"));
            }

            // A live table needs a terminal that takes ANSI cursor codes (Spectre's detection says).
            var terminal = json || !_console.ErrorIsTerminal ? null
                : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_console.Error), Interactive = InteractionSupport.Yes });
            if (terminal is not { Profile.Capabilities.Ansi: true })
            {
                await RunLoopAsync(torrents, errors, folder, poll, json, null, null, deadline.Token).ConfigureAwait(false);
            }
            else
            {
                var live = new LiveLines(_console.Error, _console.Width);
                await RunLoopAsync(torrents, errors, folder, poll, json, live.Note, live.Update, deadline.Token).ConfigureAwait(false);
            }

            var last = await Task.WhenAll(torrents.Handles.Select(h => h.GetStatusAsync(CancellationToken.None))).ConfigureAwait(false);
            foreach (var status in last)
            {
                Emit("stopped", status, clock.Elapsed, json);
            }

            if (!json)
            {
                _console.Out.WriteLine($"Seedbox stopped after {clock.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s: "
                    + $"{last.Length.ToString(CultureInfo.InvariantCulture)} torrent(s), uploaded {ByteSize.Format(last.Sum(s => s.TotalPayloadUpload))}");
            }
        }

        return ExitCodes.Success;
    }

    // Until the deadline: the folder every poll; the status every poll (JSON, log) or every second (a terminal's live table).
    private async Task RunLoopAsync(
        SeedboxTorrents torrents, SourceErrors errors, string folder, TimeSpan poll, bool json, Action<string>? note, Action<IReadOnlyList<string>>? live, CancellationToken deadline)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan? lastPoll = null;
        try
        {
            while (true)
            {
                bool polling = lastPoll is not { } at || clock.Elapsed - at >= poll;
                if (polling)
                {
                    lastPoll = clock.Elapsed;
                    await torrents.SyncAsync(folder, note, deadline).ConfigureAwait(false);
                }

                errors.Flush(note);
                if (polling || live is not null)
                {
                    var statuses = await Task.WhenAll(torrents.Handles.Select(h => h.GetStatusAsync(deadline))).ConfigureAwait(false);
                    if (json)
                    {
                        foreach (var status in statuses)
                        {
                            Emit("status", status, clock.Elapsed, json);
                        }
                    }
                    else if (live is not null)
                    {
                        live(SeedboxTable.Lines(statuses, _console.Width - 1));
                    }
                    else
                    {
                        foreach (string line in SeedboxTable.Lines(statuses, ProgressText.DefaultWidth))
                        {
                            _console.Error.WriteLine(line);
                        }
                    }
                }

                await Task.Delay(Tick, deadline).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // The timeout or Ctrl-C: the normal end of a seedbox.
        }
    }

    private void Emit(string eventName, TorrentStatus status, TimeSpan elapsed, bool json)
    {
        if (json)
        {
            _console.Out.WriteLine(JsonSerializer.Serialize(TransferReport.From(eventName, status, elapsed), CliJsonContext.Lines.TransferReport));
            _console.Out.Flush();
        }
    }

    private static string Existing(string path, string what)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return Directory.Exists(full) ? full : throw new CliException($"{path}: no such folder ({what})");
    }
}
