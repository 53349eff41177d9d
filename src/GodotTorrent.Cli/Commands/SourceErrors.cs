using System.Globalization;
using System.Text.Json;
using GodotTorrent.Alerts;
using GodotTorrent.Cli.Output;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// Collects what went wrong with the peer sources (tracker, web seed and DHT errors) from a
/// session's alerts, once per distinct error: a tracker that keeps refusing is retried for hours,
/// and a line per retry would bury the progress. <see cref="Flush"/> prints what came since.
/// </summary>
internal sealed class SourceErrors
{
    // Bounds both the errors remembered and those waiting to be printed; past them the rest are dropped.
    private const int MaxDistinct = 256;
    private const int MaxPending = 64;

    private readonly CliConsole _console;
    private readonly bool _json;
    private readonly HashSet<string> _seen = [];
    private readonly Queue<(SourceErrorReport Report, string Line)> _pending = new();

    private SourceErrors(CliConsole console, bool json)
    {
        _console = console;
        _json = json;
    }

    /// <summary>Watches a session's alerts; call before the torrents are added.</summary>
    public static SourceErrors Watch(CliConsole console, AlertManager alerts, bool json)
    {
        var errors = new SourceErrors(console, json);
        alerts.AlertPosted += (_, e) => errors.OnAlert(e.Alert);
        return errors;
    }

    /// <summary>
    /// Prints the errors not printed yet: JSON lines on stdout, or lines above the progress rows
    /// (on stderr when there are none).
    /// </summary>
    public void Flush(IProgressRows? rows) => Flush(rows is null ? null : rows.Note);

    /// <summary>As <see cref="Flush(IProgressRows?)"/>, the lines going to <paramref name="note"/> (stderr when null).</summary>
    public void Flush(Action<string>? note)
    {
        while (true)
        {
            (SourceErrorReport Report, string Line) next;
            lock (_seen)
            {
                if (!_pending.TryDequeue(out next))
                {
                    return;
                }
            }

            if (_json)
            {
                _console.Out.WriteLine(JsonSerializer.Serialize(next.Report, CliJsonContext.Lines.SourceErrorReport));
                _console.Out.Flush();
            }
            else if (note is not null)
            {
                note(next.Line);
            }
            else
            {
                _console.Error.WriteLine(TerminalText.Printable(next.Line));
            }
        }
    }

    private void OnAlert(Alert alert)
    {
        // The key leaves out what changes on every retry (the count, the back-off delay).
        switch (alert)
        {
            case TrackerErrorAlert tracker:
                Add(
                    $"tracker {tracker.Handle.InfoHashes} {tracker.Url} {tracker.Error} {tracker.ErrorMessage}",
                    new SourceErrorReport("tracker_error", tracker.TorrentName, tracker.Url, tracker.HttpStatus, tracker.Error.ToString(), tracker.ErrorMessage),
                    $"{tracker.TorrentName}: tracker {tracker.Url}{Status(tracker.HttpStatus)}: {tracker.ErrorMessage}");
                break;
            case UrlSeedAlert web:
                Add(
                    $"web {web.Handle.InfoHashes} {web.Url} {web.HttpStatus} {web.Error} {web.Dropped}",
                    new SourceErrorReport("web_seed_error", web.TorrentName, web.Url, web.HttpStatus, web.Error.ToString(), web.ErrorMessage),
                    $"{web.TorrentName}: web seed {web.Url}{Status(web.HttpStatus)}: {web.ErrorMessage}");
                break;
            case DhtErrorAlert dht:
                Add($"dht {dht.Error} {dht.Reason}", new SourceErrorReport("dht_error", null, null, 0, dht.Error.ToString(), dht.Reason), $"DHT: {dht.Reason}");
                break;
        }
    }

    private void Add(string key, SourceErrorReport report, string line)
    {
        lock (_seen)
        {
            if (_seen.Count < MaxDistinct && _pending.Count < MaxPending && _seen.Add(key))
            {
                _pending.Enqueue((report, line));
            }
        }
    }

    private static string Status(int httpStatus) => httpStatus > 0 ? $" (HTTP {httpStatus.ToString(CultureInfo.InvariantCulture)})" : string.Empty;
}
