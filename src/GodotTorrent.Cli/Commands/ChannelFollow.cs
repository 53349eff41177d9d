using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using GodotTorrent.Alerts;
using GodotTorrent.Cli.Output;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>download --follow</c> (BEP 46): once the channel's current version is complete, waits for the
/// session to report a newer one (<see cref="TorrentSession.TorrentUpdateAvailable"/>) and puts it in
/// place of the old. A game patcher wants one install folder that becomes the newest version, so
/// every version goes into the same folder: the old torrent is removed with its files kept, and the
/// new one's first check keeps every piece the versions share, so a patch downloads only what
/// changed (files the new version dropped stay on disk). The old version stops seeding because its
/// files are being overwritten: serving them would send pieces that fail their hash. The channel
/// magnet is added again, so the session resolves the newest version and follows it from there.
/// </summary>
internal sealed class ChannelFollow : IDisposable
{
    private readonly CliConsole _console;
    private readonly TorrentSession _session;
    private readonly AddTorrentParams _channel;
    private readonly bool _json;
    private readonly Channel<TorrentUpdateAvailableAlert> _updates =
        Channel.CreateBounded<TorrentUpdateAvailableAlert>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });

    private int _version;

    /// <summary>Listens for updates from now on, so one found while the first version downloads is not missed.</summary>
    public ChannelFollow(CliConsole console, TorrentSession session, AddTorrentParams channel, bool json)
    {
        _console = console;
        _session = session;
        _channel = channel;
        _json = json;
        session.TorrentUpdateAvailable += OnUpdate;
    }

    /// <summary>Downloads one version to completion: its status, or null when stopped first (Ctrl-C or --timeout).</summary>
    public delegate Task<TorrentStatus?> Download(TorrentHandle handle, CancellationToken cancellationToken);

    public void Dispose() => _session.TorrentUpdateAvailable -= OnUpdate;

    /// <summary>Says that a version is complete: <c>version N: &lt;info-hash&gt; complete</c>.</summary>
    public void Completed(TorrentHandle handle, TorrentStatus status)
    {
        _version++;
        string infoHash = InfoHashOf(handle);
        Write(new VersionReport("version_complete", _version, infoHash, null, status.Name), $"version {_version.ToString(CultureInfo.InvariantCulture)}: {infoHash} complete");
    }

    /// <summary>
    /// Follows the channel of <paramref name="current"/> (whose version is complete) until
    /// <paramref name="stop"/>: each new version replaces the old in the same folder and is
    /// downloaded. Returns the version in place at the end; null when stopped mid-download.
    /// </summary>
    public async Task<(TorrentHandle Handle, TorrentStatus? Status)> RunAsync(TorrentHandle current, Download download, CancellationToken stop)
    {
        while (true)
        {
            TorrentUpdateAvailableAlert update;
            try
            {
                update = await NextUpdateAsync(current, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return (current, await current.GetStatusAsync(CancellationToken.None).ConfigureAwait(false));
            }

            Write(
                new VersionReport("version_available", _version + 1, update.NewInfoHash, update.Sequence, current.Name),
                $"version {(_version + 1).ToString(CultureInfo.InvariantCulture)} available: {update.NewInfoHash} (seq {update.Sequence.ToString(CultureInfo.InvariantCulture)})");
            await _session.RemoveTorrentAsync(current, RemoveOptions.None, CancellationToken.None).ConfigureAwait(false);
            try
            {
                current = await _session.AddTorrentAsync(_channel, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw new CliException($"stopped while adding version {(_version + 1).ToString(CultureInfo.InvariantCulture)}");
            }

            var status = await download(current, stop).ConfigureAwait(false);
            if (status is null)
            {
                return (current, null);
            }

            Completed(current, status);
        }
    }

    private async Task<TorrentUpdateAvailableAlert> NextUpdateAsync(TorrentHandle current, CancellationToken stop)
    {
        while (true)
        {
            var update = await _updates.Reader.ReadAsync(stop).ConfigureAwait(false);
            // Updates of a version already replaced are old news: the channel was read again when the new one was added.
            if (ReferenceEquals(update.Handle, current))
            {
                return update;
            }
        }
    }

    private void OnUpdate(object? sender, TorrentUpdateAvailableEventArgs e) => _updates.Writer.TryWrite(e.Update);

    private void Write(VersionReport report, string line)
    {
        if (_json)
        {
            _console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Lines.VersionReport));
        }
        else
        {
            _console.Out.WriteLine(line);
        }

        _console.Out.Flush();
    }

    // The hash the DHT and the channel know the torrent by (BEP 46 names v1 info-hashes).
    private static string InfoHashOf(TorrentHandle handle) => (handle.InfoHashes.V1 ?? handle.InfoHashes.Primary).ToHex();
}
