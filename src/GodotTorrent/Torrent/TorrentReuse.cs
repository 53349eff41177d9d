using GodotTorrent.Alerts;
using GodotTorrent.Disk;
using GodotTorrent.Metainfo;
using GodotTorrent.Reuse;
using GodotTorrent.Session;
using GodotTorrent.Storage;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Torrent;

/// <summary>
/// One torrent's patch reuse (<see cref="AddTorrentParams.PreviousVersions"/>): runs
/// <see cref="PatchReuse"/> on the disk workers before the first check (the torrent shows
/// <see cref="TorrentState.CheckingFiles"/> meanwhile), is cancelled when the torrent is removed,
/// and after the check posts <see cref="FilesReusedAlert"/> with the bytes the check verified.
/// Engine loop only, apart from the work it dispatches.
/// </summary>
#pragma warning disable CA1001 // StopAsync, which closing the torrent always calls, disposes the source once the work is done.
internal sealed class TorrentReuse
#pragma warning restore CA1001
{
    private readonly ITorrentDataHost _host;
    private readonly DiskService _disk;
    private readonly IPieceStorageFactory _storageFactory;
    private readonly AlertManager _alerts;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cancel = new();
    private Task _work = Task.CompletedTask;
    private bool[]? _reused;
    private bool _reported;
    private bool _disposed;

    public TorrentReuse(ITorrentDataHost host, DiskService disk, IPieceStorageFactory storageFactory, AlertManager alerts, ILogger logger)
    {
        _host = host;
        _disk = disk;
        _storageFactory = storageFactory;
        _alerts = alerts;
        _logger = logger;
    }

    /// <summary>Copies what the earlier versions hold into place; returns when done, failed or cancelled.</summary>
    public async Task RunAsync(TorrentInfo torrent, IPieceStorage storage, IReadOnlyList<PreviousVersion> versions, IReadOnlyList<Priority> priorities)
    {
        // Read on the loop: a handle's save path changes there.
        var snapshot = versions.Select(v => (v.SavePath, v.Torrent)).ToArray();
        var reuse = new PatchReuse(torrent, storage, priorities.ToArray(), _storageFactory is FileStorageFactory, _logger);
        var token = _cancel.Token;
        _work = _disk.Run(async () => _reused = await reuse.RunAsync(snapshot, _storageFactory, token).ConfigureAwait(true));
        try
        {
            await _work.ConfigureAwait(true);
        }
        catch (OperationCanceledException)
        {
            _reused = null;
        }
        catch (Exception ex) when (ex is StorageException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Reuse only saves downloading: when it cannot run, everything is downloaded.
            _logger.LogWarning(ex, "Patch reuse for {Torrent} failed; downloading everything", _host.Name);
            _reused = null;
        }
    }

    /// <summary>After the first check: the alert with the files reused and their verified bytes.</summary>
    public void Report(Bitfield have)
    {
        var torrent = _host.Torrent;
        if (_reported || torrent is null)
        {
            return;
        }

        _reported = true;
        var reused = _reused ?? new bool[torrent.Files.Count];
        var layout = new PieceLayout(torrent);
        long bytes = 0;
        foreach (int piece in have.SetIndices())
        {
            foreach (var slice in layout.GetSlices(piece, 0, layout.GetPieceSize(piece)))
            {
                bytes += reused[slice.FileIndex] ? slice.Length : 0;
            }
        }

        int files = reused.Count(r => r);
        int total = torrent.Files.Count(PieceLayout.IsStored);
        _logger.LogInformation("{Torrent}: reused {Files} of {Total} files ({Bytes} bytes) from earlier versions", _host.Name, files, total, bytes);
        _alerts.Post(new FilesReusedAlert(_host.Handle, files, bytes, total));
    }

    /// <summary>The torrent is being removed: stop copying now.</summary>
    public void Cancel()
    {
        if (!_disposed && !_cancel.IsCancellationRequested)
        {
            _cancel.Cancel();
        }
    }

    /// <summary>Cancels and waits for the work to let go of the storage before it is closed.</summary>
    public async Task StopAsync()
    {
        Cancel();
        try
        {
            await _work.ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is OperationCanceledException or StorageException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            _logger.LogDebug(ex, "Patch reuse for {Torrent} ended while stopping", _host.Name);
        }

        _disposed = true;
        _cancel.Dispose();
    }
}
