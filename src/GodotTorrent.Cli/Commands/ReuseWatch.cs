using System.Globalization;
using System.Text.Json;
using GodotTorrent.Alerts;
using GodotTorrent.Cli.Output;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>What patch reuse did, reported with the download's summary.</summary>
internal sealed class ReuseWatch
{
    private static readonly TimeSpan AlertWait = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource<FilesReusedAlert> _reused = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReuseWatch(TorrentSession session) =>
        session.Alerts.AlertPosted += (_, e) =>
        {
            if (e.Alert is FilesReusedAlert reused)
            {
                _reused.TrySetResult(reused);
            }
        };

    /// <summary>Writes the <c>reused</c> JSON line, or the summary's line in text mode.</summary>
    public async Task ReportAsync(CliConsole console, TorrentStatus done, bool json)
    {
        // Posted after the first check, long before completion; the wait only covers a handler on its way.
        var first = await Task.WhenAny(_reused.Task, Task.Delay(AlertWait)).ConfigureAwait(false);
        var alert = first == _reused.Task ? await _reused.Task.ConfigureAwait(false) : null;
        var report = new ReuseReport("reused", alert?.Files ?? 0, alert?.TotalFiles ?? 0, alert?.Bytes ?? 0, done.TotalPayloadDownload);
        if (json)
        {
            console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Lines.ReuseReport));
            return;
        }

        console.Out.WriteLine(
            $"Reused {report.FilesReused.ToString(CultureInfo.InvariantCulture)} of {report.TotalFiles.ToString(CultureInfo.InvariantCulture)} files "
            + $"({ByteSize.Format(report.BytesReused)}) from earlier versions; downloaded {ByteSize.Format(report.BytesDownloaded)}");
    }
}
