using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Text.Json;
using GodotTorrent.Cli.Http;
using GodotTorrent.Cli.Output;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>gdtorrent stream &lt;file.torrent|magnet&gt; --out &lt;dir&gt; [--file N] [--http 127.0.0.1:PORT]</c>:
/// downloads like <c>download</c> and serves the files over HTTP with range requests while they
/// arrive (<see cref="StreamHttpServer"/>), so a player can open a URL at once; until Ctrl-C or --timeout.
/// </summary>
internal sealed class StreamCommand : Command
{
    private readonly CliConsole _console;
    private readonly NetworkOptions _network = new();

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

    private readonly Option<int?> _file = new("--file")
    {
        Description = "Serve and download only file N, numbered from 1 as 'gdtorrent info' lists them (pad files not counted); the others are skipped. Default: every file.",
        HelpName = "N",
    };

    private readonly Option<IPEndPoint> _http = new("--http")
    {
        Description = "Where the HTTP server listens, ADDRESS:PORT (port 0: a free one). Default 127.0.0.1:0, this machine only.",
        CustomParser = ParseEndPoint,
        DefaultValueFactory = _ => new IPEndPoint(IPAddress.Loopback, 0),
        HelpName = "ADDRESS:PORT",
    };

    public StreamCommand(CliConsole console)
        : base("stream", "Download a torrent or magnet link and serve its files over HTTP (with range requests) while they arrive, until Ctrl-C or --timeout.")
    {
        _console = console;
        Arguments.Add(_input);
        Options.Add(_out);
        Options.Add(_file);
        Options.Add(_http);
        _network.AddTo(this);
        SetAction(RunAsync);
    }

    private static IPEndPoint ParseEndPoint(ArgumentResult result)
    {
        string text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
        if (!IPEndPoint.TryParse(text, out var endPoint) || !text.Contains(':', StringComparison.Ordinal))
        {
            result.AddError($"--http '{text}' is not ADDRESS:PORT (for example 127.0.0.1:8080, or [::1]:0).");
            return new IPEndPoint(IPAddress.Loopback, 0);
        }

        return endPoint;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string input = parse.GetRequiredValue(_input);
        string folder = Path.GetFullPath(parse.GetRequiredValue(_out));
        bool json = parse.GetValue(_network.Json);
        int timeout = parse.GetValue(_network.Timeout);
        int? only = parse.GetValue(_file);
        var add = await TorrentInput.ToAddParamsAsync(input, folder, allowWithoutInfoHash: false, cancellationToken).ConfigureAwait(false);
        if (add.Torrent is { } known && only is { } wanted)
        {
            _ = Numbered(known, wanted);
        }

        TorrentInput.EnsureNotAFile(folder);

        Directory.CreateDirectory(folder);
        var peers = await _network.ResolvePeersAsync(parse, cancellationToken).ConfigureAwait(false);
        add = add with { Peers = peers, UploadRateLimit = parse.GetValue(_network.MaxUp) };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > 0)
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(timeout));
        }

        var session = new TorrentSession(_network.Settings(parse));
        await using (session.ConfigureAwait(false))
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
            NetworkOptions.EnsureListening(session);
            NetworkOptions.ReportListening(_console, session, json);
            TorrentHandle handle = await session.AddTorrentAsync(add, cancellationToken).ConfigureAwait(false);
            try
            {
                await ServeAsync(parse, handle, only, json, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                // Ctrl-C or --timeout: the normal end of streaming.
            }

            var last = await handle.GetStatusAsync(CancellationToken.None).ConfigureAwait(false);
            Emit(json, "stopped", null, null, $"Stopped: {ProgressText.Pieces(last)}");
        }

        return ExitCodes.Success;
    }

    private async Task ServeAsync(ParseResult parse, TorrentHandle handle, int? only, bool json, CancellationToken stop)
    {
        if (handle.TorrentInfo is null && !json)
        {
            _console.Error.WriteLine("Fetching the torrent's metadata from peers...");
        }

        await handle.WaitForAsync(s => s.HasMetadata, stop).ConfigureAwait(false);
        TorrentInfo torrent = handle.TorrentInfo!;
        var files = Numbered(torrent, only);
        if (only is not null)
        {
            // The one file wanted: the others are not downloaded (a stream still fetches what it reads).
            int index = files[0].File.Index;
            await handle.SetFilePrioritiesAsync([.. torrent.Files.Select(f => f.Index == index ? Priority.Normal : Priority.Skip)], stop).ConfigureAwait(false);
        }

        var server = new StreamHttpServer(handle, files, parse.GetRequiredValue(_http));
        try
        {
            server.Start();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new CliException($"--http {parse.GetRequiredValue(_http)}: cannot listen there: {e.Message}");
        }

        await using (server.ConfigureAwait(false))
        {
            foreach (var (number, file) in files)
            {
                Emit(json, "url", (number, file), server.UrlOf(number), $"{server.UrlOf(number)}  ({file.Path}, {ByteSize.Format(file.Length)})");
            }

            if (!json)
            {
                _console.Error.WriteLine("Serving until Ctrl-C" + (parse.GetValue(_network.Timeout) > 0 ? " or the timeout" : string.Empty));
            }

            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The torrent's files as 'gdtorrent info' and --select number them (from 1, pad files not counted);
    /// only file <paramref name="only"/> when given.
    /// </summary>
    /// <exception cref="UsageException">The torrent has no file <paramref name="only"/>.</exception>
    private static List<(int Number, FileEntry File)> Numbered(TorrentInfo torrent, int? only)
    {
        var files = torrent.Files.Where(f => !f.IsPad).Select((f, i) => (Number: i + 1, File: f)).ToList();
        if (only is { } wanted)
        {
            if (wanted < 1 || wanted > files.Count)
            {
                throw new UsageException($"--file {wanted.ToString(CultureInfo.InvariantCulture)}: the torrent has files 1 to {files.Count.ToString(CultureInfo.InvariantCulture)} (as 'gdtorrent info' numbers them)");
            }

            return [files[wanted - 1]];
        }

        return files;
    }

    private void Emit(bool json, string kind, (int Number, FileEntry File)? served, string? url, string text)
    {
        if (!json)
        {
            (kind == "url" ? _console.Out : _console.Error).WriteLine(text);
            return;
        }

        var report = served is var (number, file)
            ? new StreamReport(kind, number, file.Path, file.Length, url, ContentTypes.For(file.Path), null)
            : new StreamReport(kind, null, null, null, null, null, text);
        _console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Lines.StreamReport));
    }
}
