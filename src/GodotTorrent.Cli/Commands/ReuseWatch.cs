using System.Globalization;
using System.Text.Json;
using GodotTorrent.Alerts;
using GodotTorrent.Cli.Output;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>What patch reuse did, reported with the download's summary.</summary>
internal sealed class ReuseWatch
{
    private static readonly TimeSpan AlertWait = TimeSpan.FromSeconds(2);

    // One entry per torrent of the run, made by whichever comes first: the alert or the report.
    private readonly Dictionary<InfoHashes, TaskCompletionSource<FilesReusedAlert>> _reused = [];

    public ReuseWatch(TorrentSession session) =>
        session.Alerts.AlertPosted += (_, e) =>
        {
            if (e.Alert is FilesReusedAlert reused)
            {
                Entry(reused.Handle.InfoHashes).TrySetResult(reused);
            }
        };

    /// <summary>Writes the <c>reused</c> JSON line, or the summary's line in text mode, for one torrent of the run.</summary>
    public async Task ReportAsync(CliConsole console, TorrentHandle handle, TorrentStatus done, bool json)
    {
        // Posted after the first check, long before completion; the wait only covers a handler on its way.
        var reused = Entry(handle.InfoHashes).Task;
        var first = await Task.WhenAny(reused, Task.Delay(AlertWait)).ConfigureAwait(false);
        var alert = first == reused ? await reused.ConfigureAwait(false) : null;
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

    private TaskCompletionSource<FilesReusedAlert> Entry(InfoHashes infoHashes)
    {
        lock (_reused)
        {
            if (!_reused.TryGetValue(infoHashes, out var entry))
            {
                entry = new TaskCompletionSource<FilesReusedAlert>(TaskCreationOptions.RunContinuationsAsynchronously);
                _reused.Add(infoHashes, entry);
            }

            return entry;
        }
    }
}
